using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Security;
using System.Text.RegularExpressions;

namespace Kernel.PowerShell
{
    /// <summary>
    /// A Kernel browser session. Its CDP, WebDriver and live-view URLs carry a token, so they are SecureStrings:
    /// shown with the token REDACTED, never printed, logged or serialized whole.
    /// </summary>
    public sealed class KernelBrowser
    {
        private static readonly IReadOnlyDictionary<string, string> NoTags = new System.Collections.ObjectModel.ReadOnlyDictionary<string, string>(new Dictionary<string, string>());

        internal KernelBrowser(
            string id,
            string? name,
            DateTimeOffset createdAt,
            DateTimeOffset? deletedAt,
            bool headless,
            bool stealth,
            int timeoutSeconds,
            IReadOnlyDictionary<string, string>? tags,
            KernelProfile? profile,
            string? proxyId,
            KernelBrowserPoolRef? pool,
            KernelBrowserViewport? viewport,
            bool kioskMode,
            bool gpu,
            string? startUrl,
            string? region,
            TimeSpan? uptime,
            SecureString? cdpWsUrl,
            SecureString? webDriverWsUrl,
            SecureString? liveViewUrl)
        {
            Id = id;
            Name = name;
            CreatedAt = createdAt;
            DeletedAt = deletedAt;
            Headless = headless;
            Stealth = stealth;
            TimeoutSeconds = timeoutSeconds;
            Tags = tags ?? NoTags;
            Profile = profile;
            ProxyId = proxyId;
            PoolId = pool?.Id;
            PoolName = pool?.Name;
            Viewport = viewport;
            KioskMode = kioskMode;
            Gpu = gpu;
            StartUrl = startUrl;
            Region = region;
            Uptime = uptime;
            CdpWsUrl = cdpWsUrl;
            WebDriverWsUrl = webDriverWsUrl;
            LiveViewUrl = liveViewUrl;
        }

        /// <summary>
        /// Builds a browser from a hashtable, for tests and mocks: <c>[KernelBrowser]@{ Id = 'b1'; Tags = @{ job = 'nightly' } }</c>.
        /// Id is required; URLs may be given as text and are kept as SecureStrings.
        /// </summary>
        public KernelBrowser(IDictionary properties)
        {
            var given = new ModelProperties(properties, typeof(KernelBrowser));
            Id = given.Required<string>(nameof(Id));
            Name = given.Optional<string?>(nameof(Name), null);
            CreatedAt = given.Optional(nameof(CreatedAt), DateTimeOffset.UtcNow);
            DeletedAt = given.Optional<DateTimeOffset?>(nameof(DeletedAt), null);
            Headless = given.Optional(nameof(Headless), false);
            Stealth = given.Optional(nameof(Stealth), false);
            TimeoutSeconds = given.Optional(nameof(TimeoutSeconds), 60);
            Tags = given.StringMap(nameof(Tags));
            Profile = given.Optional<KernelProfile?>(nameof(Profile), null);
            ProxyId = given.Optional<string?>(nameof(ProxyId), null);
            PoolId = given.Optional<string?>(nameof(PoolId), null);
            PoolName = given.Optional<string?>(nameof(PoolName), null);
            Viewport = given.Optional<KernelBrowserViewport?>(nameof(Viewport), null);
            KioskMode = given.Optional(nameof(KioskMode), false);
            Gpu = given.Optional(nameof(Gpu), false);
            StartUrl = given.Optional<string?>(nameof(StartUrl), null);
            Region = given.Optional<string?>(nameof(Region), null);
            Uptime = given.Optional<TimeSpan?>(nameof(Uptime), null);
            CdpWsUrl = given.Secret(nameof(CdpWsUrl));
            WebDriverWsUrl = given.Secret(nameof(WebDriverWsUrl));
            LiveViewUrl = given.Secret(nameof(LiveViewUrl));
            given.RequireNoOthers();
        }

        /// <summary>The session id (the API's session_id).</summary>
        public string Id { get; }

        /// <summary>The name given at creation (unique among active browsers), or null.</summary>
        public string? Name { get; }

        /// <summary>active, or deleted once the session has ended.</summary>
        public string Status => DeletedAt == null ? BrowserStatus.Active : BrowserStatus.Deleted;

        public DateTimeOffset CreatedAt { get; }

        /// <summary>When the session ended (deleted or timed out); null while it is active.</summary>
        public DateTimeOffset? DeletedAt { get; }

        public bool Headless { get; }

        public bool Stealth { get; }

        /// <summary>Seconds without a CDP or live-view connection before Kernel ends the session.</summary>
        public int TimeoutSeconds { get; }

        public IReadOnlyDictionary<string, string> Tags { get; }

        /// <summary>The profile loaded into the session, if any.</summary>
        public KernelProfile? Profile { get; }

        public string? ProxyId { get; }

        /// <summary>The pool the session was taken from (Lock-KernelBrowser), or null.</summary>
        public string? PoolId { get; }

        /// <summary>That pool's name, if it has one.</summary>
        public string? PoolName { get; }

        public KernelBrowserViewport? Viewport { get; }

        public bool KioskMode { get; }

        public bool Gpu { get; }

        /// <summary>The URL the session was asked to open at creation (best effort on Kernel's side).</summary>
        public string? StartUrl { get; }

        /// <summary>Where the session runs (us-east, eu-west), when the API says.</summary>
        public string? Region { get; }

        /// <summary>How long the session has actively run, when the API says.</summary>
        public TimeSpan? Uptime { get; }

        /// <summary>Chrome DevTools Protocol WebSocket URL, with its token: <c>$b.CdpWsUrl | ConvertFrom-SecureString -AsPlainText</c>.</summary>
        public SecureString? CdpWsUrl { get; }

        /// <summary>WebDriver BiDi WebSocket URL, with its token.</summary>
        public SecureString? WebDriverWsUrl { get; }

        /// <summary>Live view URL (headful browsers only), with its token.</summary>
        public SecureString? LiveViewUrl { get; }

        public override string ToString() => Id;
    }

    /// <summary>
    /// A browser window size with an optional refresh rate: <c>'1920x1080'</c>, <c>'1280x800@60'</c> or
    /// <c>@{ Width = 1280; Height = 800; RefreshRate = 60 }</c>.
    /// </summary>
    public sealed class KernelBrowserViewport
    {
        private static readonly Regex Text = new Regex(@"^\s*(?<w>\d+)\s*[xX×]\s*(?<h>\d+)\s*(@\s*(?<r>\d+)\s*(Hz)?)?\s*$", RegexOptions.CultureInvariant);

        internal KernelBrowserViewport(int width, int height, int? refreshRate)
        {
            Width = width;
            Height = height;
            RefreshRate = refreshRate;
        }

        /// <summary>Reads <c>WIDTHxHEIGHT</c> or <c>WIDTHxHEIGHT@RATE</c>.</summary>
        public KernelBrowserViewport(string text)
        {
            var match = Text.Match(text ?? string.Empty);
            if (!match.Success)
            {
                throw new ArgumentException($"'{text}' is not a viewport: write WIDTHxHEIGHT or WIDTHxHEIGHT@RATE, such as 1920x1080 or 1280x800@60.");
            }

            Width = int.Parse(match.Groups["w"].Value, CultureInfo.InvariantCulture);
            Height = int.Parse(match.Groups["h"].Value, CultureInfo.InvariantCulture);
            RefreshRate = match.Groups["r"].Success ? int.Parse(match.Groups["r"].Value, CultureInfo.InvariantCulture) : (int?)null;
            Validate();
        }

        /// <summary>Builds a viewport from a hashtable: <c>@{ Width = 1280; Height = 800; RefreshRate = 60 }</c>.</summary>
        public KernelBrowserViewport(IDictionary properties)
        {
            var given = new ModelProperties(properties, typeof(KernelBrowserViewport));
            Width = given.Required<int>(nameof(Width));
            Height = given.Required<int>(nameof(Height));
            RefreshRate = given.Optional<int?>(nameof(RefreshRate), null);
            given.RequireNoOthers();
            Validate();
        }

        public int Width { get; }

        public int Height { get; }

        /// <summary>Hz; null lets Kernel choose from the size.</summary>
        public int? RefreshRate { get; }

        public override string ToString() =>
            Width.ToString(CultureInfo.InvariantCulture) + "x" + Height.ToString(CultureInfo.InvariantCulture)
            + (RefreshRate is { } rate ? "@" + rate.ToString(CultureInfo.InvariantCulture) : string.Empty);

        private void Validate()
        {
            if (Width <= 0 || Height <= 0 || RefreshRate <= 0)
            {
                throw new ArgumentException($"A viewport's width, height and refresh rate must be positive, not {this}.");
            }
        }
    }

    /// <summary>A browser for -Browser: its session id, its name, or a <see cref="KernelBrowser"/>.</summary>
    public sealed class KernelBrowserReference : KernelResourceReference
    {
        public KernelBrowserReference(string idOrName)
            : base(idOrName)
        {
        }

        public KernelBrowserReference(KernelBrowser browser)
            : base(browser, browser?.Id!)
        {
        }
    }

    /// <summary>The pool a browser belongs to, as the API names it (its pool field).</summary>
    internal sealed class KernelBrowserPoolRef
    {
        public KernelBrowserPoolRef(string id, string? name)
        {
            Id = id;
            Name = name;
        }

        public string Id { get; }

        public string? Name { get; }
    }

    internal static class BrowserStatus
    {
        public const string Active = "active";
        public const string Deleted = "deleted";
        public const string All = "all";
    }
}
