using System;
using System.Collections;
using System.Collections.Generic;

namespace Kernel.PowerShell
{
    /// <summary>
    /// A browser pool: Kernel keeps <see cref="Size"/> identically made browsers warm, and a runbook takes one
    /// (Lock-KernelBrowser) and gives it back (Unlock-KernelBrowser) instead of paying a cold start per job. The
    /// settings its browsers are made with are flattened onto it.
    /// </summary>
    public sealed class KernelBrowserPool
    {
        private static readonly IReadOnlyList<string> NoExtensions = Array.Empty<string>();

        internal KernelBrowserPool(string id, string? name, DateTimeOffset createdAt, int availableCount, int acquiredCount, KernelBrowserPoolSettings settings)
        {
            Id = id;
            Name = name;
            CreatedAt = createdAt;
            AvailableCount = availableCount;
            AcquiredCount = acquiredCount;
            Size = settings.Size;
            FillRatePerMinute = settings.FillRatePerMinute;
            TimeoutSeconds = settings.TimeoutSeconds;
            Headless = settings.Headless;
            Stealth = settings.Stealth;
            KioskMode = settings.KioskMode;
            ProfileId = settings.ProfileId;
            ProxyId = settings.ProxyId;
            ExtensionIds = settings.ExtensionIds ?? NoExtensions;
            Viewport = settings.Viewport;
            StartUrl = settings.StartUrl;
        }

        /// <summary>Builds a pool from a hashtable, for tests and mocks: <c>[KernelBrowserPool]@{ Id = 'bp1'; Name = 'shop'; Size = 5 }</c>. Id is required.</summary>
        public KernelBrowserPool(IDictionary properties)
        {
            var given = new ModelProperties(properties, typeof(KernelBrowserPool));
            Id = given.Required<string>(nameof(Id));
            Name = given.Optional<string?>(nameof(Name), null);
            CreatedAt = given.Optional(nameof(CreatedAt), DateTimeOffset.UtcNow);
            Size = given.Optional(nameof(Size), 1);
            AvailableCount = given.Optional(nameof(AvailableCount), 0);
            AcquiredCount = given.Optional(nameof(AcquiredCount), 0);
            FillRatePerMinute = given.Optional<int?>(nameof(FillRatePerMinute), null);
            TimeoutSeconds = given.Optional<int?>(nameof(TimeoutSeconds), null);
            Headless = given.Optional(nameof(Headless), false);
            Stealth = given.Optional(nameof(Stealth), false);
            KioskMode = given.Optional(nameof(KioskMode), false);
            ProfileId = given.Optional<string?>(nameof(ProfileId), null);
            ProxyId = given.Optional<string?>(nameof(ProxyId), null);
            ExtensionIds = given.List<string>(nameof(ExtensionIds));
            Viewport = given.Optional<KernelBrowserViewport?>(nameof(Viewport), null);
            StartUrl = given.Optional<string?>(nameof(StartUrl), null);
            given.RequireNoOthers();
        }

        public string Id { get; }

        /// <summary>The pool's name, unique in its project (or null).</summary>
        public string? Name { get; }

        public DateTimeOffset CreatedAt { get; }

        /// <summary>How many browsers Kernel keeps in the pool, warm or leased.</summary>
        public int Size { get; }

        /// <summary>Warm browsers ready to be taken now.</summary>
        public int AvailableCount { get; }

        /// <summary>Browsers taken from the pool and not yet given back.</summary>
        public int AcquiredCount { get; }

        /// <summary>How fast the pool refills: a percentage of <see cref="Size"/> per minute.</summary>
        public int? FillRatePerMinute { get; }

        /// <summary>Seconds a taken browser may go without a connection before Kernel ends it.</summary>
        public int? TimeoutSeconds { get; }

        public bool Headless { get; }

        public bool Stealth { get; }

        public bool KioskMode { get; }

        /// <summary>The profile its browsers load, read-only (a pooled browser never saves into it).</summary>
        public string? ProfileId { get; }

        public string? ProxyId { get; }

        /// <summary>The extensions its browsers load, in load order.</summary>
        public IReadOnlyList<string> ExtensionIds { get; }

        public KernelBrowserViewport? Viewport { get; }

        /// <summary>The page a new browser opens as it is warmed into the pool.</summary>
        public string? StartUrl { get; }

        public override string ToString() => Id;
    }

    /// <summary>A pool for -Pool: its name, its id, or a <see cref="KernelBrowserPool"/>.</summary>
    public sealed class KernelBrowserPoolReference : KernelResourceReference
    {
        public KernelBrowserPoolReference(string idOrName)
            : base(idOrName)
        {
        }

        public KernelBrowserPoolReference(KernelBrowserPool pool)
            : base(pool, pool?.Id!)
        {
        }
    }

    /// <summary>The settings of a pool's browsers, as the API's browser_pool_config holds them.</summary>
    internal sealed class KernelBrowserPoolSettings
    {
        public int Size { get; set; }

        public int? FillRatePerMinute { get; set; }

        public int? TimeoutSeconds { get; set; }

        public bool Headless { get; set; }

        public bool Stealth { get; set; }

        public bool KioskMode { get; set; }

        public string? ProfileId { get; set; }

        public string? ProxyId { get; set; }

        public IReadOnlyList<string>? ExtensionIds { get; set; }

        public KernelBrowserViewport? Viewport { get; set; }

        public string? StartUrl { get; set; }
    }
}
