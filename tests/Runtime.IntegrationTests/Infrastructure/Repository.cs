namespace Runtime.IntegrationTests.Infrastructure;

/// <summary>Paths in the repository the tests run from (the clients' folders, for the polyglot tests).</summary>
public static class Repository
{
    /// <summary>The repository root: the first folder above the test binaries that holds <c>Runtime.sln</c>.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A path below the root.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Runtime.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no Runtime.sln above {AppContext.BaseDirectory}");
    }
}
