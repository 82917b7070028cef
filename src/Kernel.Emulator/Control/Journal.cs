using Microsoft.AspNetCore.Http.Features;

namespace Kernel.Emulator.Control;

/// <summary>One request as the emulator saw it: enough for a test to assert what a client really sent.</summary>
public sealed record JournalEntry(
    DateTime At,
    string Method,
    string Path,
    string Query,
    IReadOnlyDictionary<string, string> Headers,
    IReadOnlyList<string>? FormFields,
    int Status,
    string? KeyFingerprint);

/// <summary>
/// The request journal (GET /_emulator/journal). The Authorization value is replaced by REDACTED (a short
/// SHA-256 fingerprint of the key tells keys apart), and of a multipart body only the field names are kept.
/// </summary>
public sealed class Journal
{
    private const int Capacity = 10_000;
    private readonly LinkedList<JournalEntry> _entries = new();

    public void Record(HttpContext context, DateTime at)
    {
        var headers = context.Request.Headers.ToDictionary(
            h => h.Key,
            h => h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase) ? Redact(h.Value.ToString()) : h.Value.ToString(),
            StringComparer.OrdinalIgnoreCase);
        List<string>? fields = null;
        if (context.Request.HasFormContentType && context.Features.Get<IFormFeature>()?.Form is { } form)
        {
            fields = [.. form.Keys, .. form.Files.Select(f => f.Name)];
        }

        var entry = new JournalEntry(at, context.Request.Method, context.Request.Path, context.Request.QueryString.Value ?? string.Empty, headers, fields, context.Response.StatusCode, Fingerprint(context.Request));
        lock (_entries)
        {
            _entries.AddLast(entry);
            if (_entries.Count > Capacity)
            {
                _entries.RemoveFirst();
            }
        }
    }

    public List<JournalEntry> Snapshot()
    {
        lock (_entries)
        {
            return [.. _entries];
        }
    }

    public void Clear()
    {
        lock (_entries)
        {
            _entries.Clear();
        }
    }

    /// <summary>The first 12 hex digits of the bearer token's SHA-256: tells keys apart without revealing them.</summary>
    public static string? Fingerprint(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        var space = header.IndexOf(' ');
        return space < 0 ? null : Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(header[(space + 1)..].Trim())))[..12];
    }

    private static string Redact(string value)
    {
        var space = value.IndexOf(' ');
        return space > 0 ? value[..space] + " REDACTED" : "REDACTED";
    }
}
