using System;
using System.Collections;

namespace Kernel.PowerShell
{
    /// <summary>A browser profile: cookies, storage and logins a browser can load and save back.</summary>
    public sealed class KernelProfile
    {
        internal KernelProfile(string id, string? name, DateTimeOffset createdAt, DateTimeOffset? updatedAt, DateTimeOffset? lastUsedAt)
        {
            Id = id;
            Name = name;
            CreatedAt = createdAt;
            UpdatedAt = updatedAt;
            LastUsedAt = lastUsedAt;
        }

        /// <summary>Builds a profile from a hashtable, for tests and mocks: <c>[KernelProfile]@{ Id = 'p1'; Name = 'shop-login' }</c>. Id is required.</summary>
        public KernelProfile(IDictionary properties)
        {
            var given = new ModelProperties(properties, typeof(KernelProfile));
            Id = given.Required<string>(nameof(Id));
            Name = given.Optional<string?>(nameof(Name), null);
            CreatedAt = given.Optional(nameof(CreatedAt), DateTimeOffset.UtcNow);
            UpdatedAt = given.Optional<DateTimeOffset?>(nameof(UpdatedAt), null);
            LastUsedAt = given.Optional<DateTimeOffset?>(nameof(LastUsedAt), null);
            given.RequireNoOthers();
        }

        public string Id { get; }

        /// <summary>The profile's name, unique in its project (or null).</summary>
        public string? Name { get; }

        public DateTimeOffset CreatedAt { get; }

        /// <summary>When a browser last saved into it (or it was renamed).</summary>
        public DateTimeOffset? UpdatedAt { get; }

        public DateTimeOffset? LastUsedAt { get; }

        public override string ToString() => Id;
    }

    /// <summary>A profile for -Profile: its name, its id, or a <see cref="KernelProfile"/>.</summary>
    public sealed class KernelProfileReference : KernelResourceReference
    {
        public KernelProfileReference(string idOrName)
            : base(idOrName)
        {
        }

        public KernelProfileReference(KernelProfile profile)
            : base(profile, profile?.Id!)
        {
        }
    }
}
