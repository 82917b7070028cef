using Kernel.Emulator.Store;

namespace Kernel.Emulator.Profiles;

/// <summary>The Profile object.</summary>
public sealed record ProfileView(string Id, string? Name, DateTime CreatedAt, DateTime? UpdatedAt, DateTime? LastUsedAt);

/// <summary>
/// A browser profile. It holds state only once a browser that asked to save changes (<c>save_changes</c>)
/// has ended; until then its download answers 202. Mutable state changes only under <see cref="World.Gate"/>.
/// </summary>
public sealed class ProfileRecord(string id, string project, string? name, DateTime createdAt) : INamedRecord
{
    public string Id { get; } = id;

    public string Project { get; } = project;

    public string? Name { get; set; } = name;

    public DateTime CreatedAt { get; } = createdAt;

    public DateTime? UpdatedAt { get; set; }

    public DateTime? LastUsedAt { get; set; }

    /// <summary>When a session last saved into it; null while it has captured nothing.</summary>
    public DateTime? SavedAt { get; set; }

    /// <summary>The session that last saved into it.</summary>
    public string? SavedBy { get; set; }

    public ProfileView View() => new(Id, Name, CreatedAt, UpdatedAt, LastUsedAt);
}
