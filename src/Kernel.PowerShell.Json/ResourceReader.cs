using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Text.Json;
using Kernel.PowerShell.Api;
using static Kernel.PowerShell.Json.WireFormatReader;

namespace Kernel.PowerShell.Json
{
    /// <summary>
    /// The resources' JSON (browsers, profiles, proxies, replays, extensions, browser pools; the pinned SDK's resources/*.d.ts; deployments,
    /// invocations and apps through <see cref="WireFormatReader"/>) read into the
    /// module's types, defensively: unknown fields are ignored, unknown enum values kept as text. A new resource
    /// is one more entry in <see cref="Readers"/>.
    /// </summary>
    internal static class ResourceReader
    {
        private static readonly Dictionary<Type, (string What, Func<JsonElement, object> Read)> Readers = new Dictionary<Type, (string, Func<JsonElement, object>)>
        {
            [typeof(KernelBrowser)] = ("browser", ToBrowser),
            [typeof(KernelProfile)] = ("profile", ToProfile),
            [typeof(KernelProxy)] = ("proxy", ToProxy),
            [typeof(KernelBrowserReplay)] = ("replay", ToReplay),
            [typeof(KernelExtension)] = ("extension", ToExtension),
            [typeof(KernelBrowserPool)] = ("browser pool", ToBrowserPool),
            [typeof(KernelDeployment)] = ("deployment", ToDeployment),
            [typeof(KernelInvocation)] = ("invocation", ToInvocation),
            [typeof(KernelApp)] = ("app", e => ToApp(e)),
        };

        public static T Parse<T>(string json)
            where T : class
        {
            var (what, read) = ReaderOf<T>();
            return WireFormatReader.Parse(json, what, e => (T)read(e));
        }

        public static IReadOnlyList<T> ParseList<T>(string json, string what, string? member)
            where T : class
        {
            var (_, read) = ReaderOf<T>();
            return WireFormatReader.Parse(json, what + " list", root =>
            {
                var list = member == null ? root : root.ValueKind == JsonValueKind.Object && root.TryGetProperty(member, out var inner) ? inner : default;
                if (list.ValueKind != JsonValueKind.Array)
                {
                    throw new KernelProtocolException($"The Kernel API sent a {what} list that is not a JSON array{(member == null ? string.Empty : $" under '{member}'")}.");
                }

                return list.EnumerateArray().Select(e => (T)read(e)).ToList();
            });
        }

        private static (string What, Func<JsonElement, object> Read) ReaderOf<T>() =>
            Readers.TryGetValue(typeof(T), out var reader) ? reader : throw new InvalidOperationException($"No wire format for {typeof(T).Name}.");

        private static KernelBrowser ToBrowser(JsonElement e)
        {
            RequireObject(e, "browser");
            var id = RequiredString(e, "session_id", "browser");
            return new KernelBrowser(
                id,
                String(e, "name"),
                Time(e, "created_at") ?? DateTimeOffset.MinValue,
                Time(e, "deleted_at"),
                Bool(e, "headless"),
                Bool(e, "stealth"),
                Int(e, "timeout_seconds") ?? 0,
                StringMap(e, "tags"),
                e.TryGetProperty("profile", out var profile) && profile.ValueKind == JsonValueKind.Object ? ToProfile(profile) : null,
                String(e, "proxy_id"),
                e.TryGetProperty("pool", out var pool) && pool.ValueKind == JsonValueKind.Object && String(pool, "id") is { } poolId ? new KernelBrowserPoolRef(poolId, String(pool, "name")) : null,
                Viewport(e),
                Bool(e, "kiosk_mode"),
                Bool(e, "gpu"),
                String(e, "start_url"),
                String(e, "region"),
                e.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object && Long(usage, "uptime_ms") is { } uptime ? TimeSpan.FromMilliseconds(uptime) : (TimeSpan?)null,
                KernelRedaction.Protect(String(e, "cdp_ws_url")),
                KernelRedaction.Protect(String(e, "webdriver_ws_url")),
                KernelRedaction.Protect(String(e, "browser_live_view_url")));
        }

        private static KernelProfile ToProfile(JsonElement e)
        {
            RequireObject(e, "profile");
            return new KernelProfile(
                RequiredString(e, "id", "profile"),
                String(e, "name"),
                Time(e, "created_at") ?? DateTimeOffset.MinValue,
                Time(e, "updated_at"),
                Time(e, "last_used_at"));
        }

        private static KernelProxy ToProxy(JsonElement e)
        {
            RequireObject(e, "proxy");
            var id = RequiredString(e, "id", "proxy");
            var config = e.TryGetProperty("config", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;
            string? Setting(string name) => config.ValueKind == JsonValueKind.Object ? String(config, name) : null;
            var settings = new KernelProxySettings
            {
                Country = Setting("country"),
                City = Setting("city"),
                State = Setting("state"),
                Zip = Setting("zip"),
                Asn = Setting("asn"),
                HostName = Setting("host"),
                Port = config.ValueKind == JsonValueKind.Object ? Int(config, "port") : null,
                UserName = Setting("username"),
                HasPassword = config.ValueKind == JsonValueKind.Object && Bool(config, "has_password"),
            };
            return new KernelProxy(id, String(e, "name"), RequiredString(e, "type", "proxy " + id), String(e, "protocol"), String(e, "status"), String(e, "ip_address"), Time(e, "last_checked"), Strings(e, "bypass_hosts"), settings);
        }

        /// <summary>A replay; its browser's id is not in the JSON, the caller adds it (<c>WithBrowser</c>).</summary>
        private static KernelBrowserReplay ToReplay(JsonElement e)
        {
            RequireObject(e, "replay");
            return new KernelBrowserReplay(
                RequiredString(e, "replay_id", "replay"),
                string.Empty,
                Time(e, "started_at"),
                Time(e, "finished_at"),
                KernelRedaction.Protect(String(e, "replay_view_url")));
        }

        private static KernelExtension ToExtension(JsonElement e)
        {
            RequireObject(e, "extension");
            return new KernelExtension(
                RequiredString(e, "id", "extension"),
                String(e, "name"),
                Time(e, "created_at") ?? DateTimeOffset.MinValue,
                Long(e, "size_bytes") ?? 0,
                String(e, "checksum"),
                Time(e, "last_used_at"));
        }

        /// <summary>A pool; the resolved profile_id and extension_ids win over the selectors its config echoes.</summary>
        private static KernelBrowserPool ToBrowserPool(JsonElement e)
        {
            RequireObject(e, "browser pool");
            var id = RequiredString(e, "id", "browser pool");
            var config = e.TryGetProperty("browser_pool_config", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;
            var hasConfig = config.ValueKind == JsonValueKind.Object;
            var selectedProfile = hasConfig && config.TryGetProperty("profile", out var profile) && profile.ValueKind == JsonValueKind.Object ? String(profile, "id") : null;
            var settings = new KernelBrowserPoolSettings
            {
                Size = (hasConfig ? Int(config, "size") : null) ?? 0,
                FillRatePerMinute = hasConfig ? Int(config, "fill_rate_per_minute") : null,
                TimeoutSeconds = hasConfig ? Int(config, "timeout_seconds") : null,
                Headless = hasConfig && Bool(config, "headless"),
                Stealth = hasConfig && Bool(config, "stealth"),
                KioskMode = hasConfig && Bool(config, "kiosk_mode"),
                ProfileId = String(e, "profile_id") ?? selectedProfile,
                ProxyId = hasConfig ? String(config, "proxy_id") : null,
                ExtensionIds = Strings(e, "extension_ids"),
                Viewport = hasConfig ? Viewport(config) : null,
                StartUrl = hasConfig ? String(config, "start_url") : null,
            };
            return new KernelBrowserPool(id, String(e, "name"), Time(e, "created_at") ?? DateTimeOffset.MinValue, Int(e, "available_count") ?? 0, Int(e, "acquired_count") ?? 0, settings);
        }

        private static KernelBrowserViewport? Viewport(JsonElement e) =>
            e.TryGetProperty("viewport", out var viewport) && viewport.ValueKind == JsonValueKind.Object && Int(viewport, "width") is { } width && Int(viewport, "height") is { } height
                ? new KernelBrowserViewport(width, height, Int(viewport, "refresh_rate"))
                : null;

        private static IReadOnlyList<string>? Strings(JsonElement e, string name) =>
            e.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Where(item => item.ValueKind == JsonValueKind.String).Select(item => item.GetString()!).ToList()
                : null;

        private static bool Bool(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

        private static int? Int(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var value) ? value : (int?)null;

        private static long? Long(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var value) ? value : (long?)null;

        private static IReadOnlyDictionary<string, string>? StringMap(JsonElement e, string name)
        {
            if (!e.TryGetProperty(name, out var map) || map.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in map.EnumerateObject())
            {
                values[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
            }

            return new ReadOnlyDictionary<string, string>(values);
        }
    }
}
