namespace Runtime.Observation.Tests.Support;

/// <summary>A fresh directory under the temp folder, removed afterwards.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("runtime-observation-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
