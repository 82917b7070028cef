using Kernel.Emulator.Store;

namespace Kernel.Emulator.Extensions;

/// <summary>The extension object of the pinned SDK's extensions.d.ts (upload, list and metadata answers).</summary>
public sealed record ExtensionView(string Id, string? Name, DateTime CreatedAt, long SizeBytes, string? Checksum, DateTime? LastUsedAt);

/// <summary>
/// An uploaded extension: its ZIP, kept byte for byte so a download gives back exactly what was uploaded.
/// Mutable state changes only under <see cref="World.Gate"/>.
/// </summary>
public sealed class ExtensionRecord(string id, string project, string? name, DateTime createdAt, byte[] archive, string checksum) : INamedRecord
{
    public string Id { get; } = id;

    public string Project { get; } = project;

    public string? Name { get; } = name;

    public DateTime CreatedAt { get; } = createdAt;

    public byte[] Archive { get; } = archive;

    /// <summary>Hex SHA-256 of the uploaded bytes.</summary>
    public string Checksum { get; } = checksum;

    /// <summary>When a browser last loaded it.</summary>
    public DateTime? LastUsedAt { get; set; }

    public ExtensionView View() => new(Id, Name, CreatedAt, Archive.LongLength, Checksum, LastUsedAt);
}
