using System;
using System.Collections;

namespace Kernel.PowerShell
{
    /// <summary>A browser extension uploaded to Kernel (the unpacked extension, as a ZIP), which browsers and pools can load.</summary>
    public sealed class KernelExtension
    {
        internal KernelExtension(string id, string? name, DateTimeOffset createdAt, long sizeBytes, string? checksum, DateTimeOffset? lastUsedAt)
        {
            Id = id;
            Name = name;
            CreatedAt = createdAt;
            SizeBytes = sizeBytes;
            Checksum = checksum;
            LastUsedAt = lastUsedAt;
        }

        /// <summary>Builds an extension from a hashtable, for tests and mocks: <c>[KernelExtension]@{ Id = 'e1'; Name = 'ad-blocker' }</c>. Id is required.</summary>
        public KernelExtension(IDictionary properties)
        {
            var given = new ModelProperties(properties, typeof(KernelExtension));
            Id = given.Required<string>(nameof(Id));
            Name = given.Optional<string?>(nameof(Name), null);
            CreatedAt = given.Optional(nameof(CreatedAt), DateTimeOffset.UtcNow);
            SizeBytes = given.Optional(nameof(SizeBytes), 0L);
            Checksum = given.Optional<string?>(nameof(Checksum), null);
            LastUsedAt = given.Optional<DateTimeOffset?>(nameof(LastUsedAt), null);
            given.RequireNoOthers();
        }

        public string Id { get; }

        /// <summary>The extension's name, unique in its project (or null).</summary>
        public string? Name { get; }

        public DateTimeOffset CreatedAt { get; }

        /// <summary>The size of the uploaded ZIP.</summary>
        public long SizeBytes { get; }

        /// <summary>Hex SHA-256 of the ZIP exactly as uploaded (null for old uploads and Chrome Web Store ones).</summary>
        public string? Checksum { get; }

        /// <summary>When a browser last loaded it.</summary>
        public DateTimeOffset? LastUsedAt { get; }

        public override string ToString() => Id;
    }

    /// <summary>An extension for -Extension: its name, its id, or a <see cref="KernelExtension"/>.</summary>
    public sealed class KernelExtensionReference : KernelResourceReference
    {
        public KernelExtensionReference(string idOrName)
            : base(idOrName)
        {
        }

        public KernelExtensionReference(KernelExtension extension)
            : base(extension, extension?.Id!)
        {
        }
    }
}
