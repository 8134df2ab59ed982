using System.Text.Json;

namespace Runtime.Analytics.Persistence;

/// <summary>
/// A small state file in the data directory (probes, the server filter): read whole, replaced atomically by writing
/// a temporary file and renaming it over the old one, so a crash mid-write leaves the previous contents.
/// </summary>
internal static class AtomicJsonFile
{
    /// <summary>The saved value, or null when the file does not exist (or holds JSON null).</summary>
    public static T? Read<T>(string path)
        where T : class =>
        File.Exists(path) ? JsonSerializer.Deserialize<T>(File.ReadAllText(path)) : null;

    /// <summary>Replaces the file with <paramref name="value"/>, creating its directory if needed.</summary>
    public static void Write<T>(string path, T value)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(value));
        File.Move(temporary, path, overwrite: true);
    }
}
