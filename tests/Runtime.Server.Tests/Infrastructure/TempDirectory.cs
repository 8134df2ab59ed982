namespace Runtime.Server.Tests.Infrastructure;

/// <summary>Temporary directories for test data.</summary>
public static class TempDirectory
{
    /// <summary>A new empty directory under the system temp path.</summary>
    public static string Create()
    {
        var path = Path.Combine(Path.GetTempPath(), "runtime-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Deletes a directory tree if it exists; a leftover temp file is not worth failing a test over.</summary>
    public static void Delete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
        }
    }
}
