using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace Kernel.PowerShell
{
    /// <summary>
    /// One request the emulator received, from its journal: enough to assert what a client really sent. The API
    /// key is never in it: the Authorization header reads "Bearer REDACTED", and a short fingerprint of the key
    /// tells keys apart.
    /// </summary>
    public sealed class KernelEmulatorRequest
    {
        /// <summary>Builds a journal entry from a hashtable, for tests and mocks: <c>[KernelEmulatorRequest]@{ Method = 'GET'; Path = '/apps' }</c>.</summary>
        public KernelEmulatorRequest(IDictionary properties)
        {
            var given = new ModelProperties(properties, typeof(KernelEmulatorRequest));
            Method = given.Required<string>(nameof(Method));
            Path = given.Required<string>(nameof(Path));
            Time = given.Optional(nameof(Time), DateTimeOffset.UtcNow);
            Query = given.Optional(nameof(Query), string.Empty);
            Headers = given.StringMap(nameof(Headers), StringComparer.OrdinalIgnoreCase);
            FormFields = given.List<string>(nameof(FormFields));
            StatusCode = given.Optional(nameof(StatusCode), 200);
            KeyFingerprint = given.Optional<string?>(nameof(KeyFingerprint), null);
            given.RequireNoOthers();
        }

        /// <summary>When the request arrived.</summary>
        public DateTimeOffset Time { get; }

        public string Method { get; }

        public string Path { get; }

        /// <summary>The query string as sent, with its '?' (empty when there was none).</summary>
        public string Query { get; }

        /// <summary>The request headers (names in any case); the Authorization value is redacted.</summary>
        public IReadOnlyDictionary<string, string> Headers { get; }

        /// <summary>The names of a multipart body's fields and files (never their values).</summary>
        public IReadOnlyList<string> FormFields { get; }

        /// <summary>The status the emulator answered with.</summary>
        public int StatusCode { get; }

        /// <summary>The first 12 hex digits of the bearer token's SHA-256, or null without one.</summary>
        public string? KeyFingerprint { get; }

        public override string ToString() => $"{Method} {Path}{Query} → {StatusCode}";

        /// <summary>The emulator's JSON entry (snake_case names, as GET /_emulator/journal sends it).</summary>
        internal static KernelEmulatorRequest FromPlain(IDictionary entry) => new KernelEmulatorRequest(new Hashtable
        {
            [nameof(Time)] = entry["at"],
            [nameof(Method)] = entry["method"],
            [nameof(Path)] = entry["path"],
            [nameof(Query)] = entry["query"],
            [nameof(Headers)] = entry["headers"],
            [nameof(FormFields)] = entry["form_fields"],
            [nameof(StatusCode)] = entry["status"],
            [nameof(KeyFingerprint)] = entry["key_fingerprint"],
        });
    }
}
