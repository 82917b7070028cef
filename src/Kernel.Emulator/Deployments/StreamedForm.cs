using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Kernel.Emulator.Deployments;

/// <summary>
/// Reads a multipart upload as it arrives. The archive (the <c>file</c> part) goes through SHA-256 as it is
/// read, so its checksum is ready with its last byte: the answer does not wait for a second read of a large
/// archive, as it would after <c>ReadFormAsync</c>. An archive up to <see cref="InMemoryLimit"/> stays in memory;
/// a bigger one goes on to a temporary file, deleted with the request.
/// </summary>
public static class StreamedForm
{
    public const string FileField = "file";

    /// <summary>Archives up to this size are kept in memory (as many as the emulator keeps for download, <see cref="UploadedArchives.MaxBytes"/>).</summary>
    public const int InMemoryLimit = (int)UploadedArchives.MaxBytes;

    /// <summary>How much is read at once: the multipart reader's default (4 KiB) made receiving a big archive cost more than hashing it.</summary>
    private const int ReadBuffer = 256 * 1024;

    /// <summary>The form (also set as the request's form feature, for the journal) and the archive's SHA-256.</summary>
    public static async Task<(IFormCollection Form, string? FileChecksum)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(request.ContentType).Boundary).Value
            ?? throw new InvalidDataException("The multipart body has no boundary.");
        var reader = new MultipartReader(boundary, request.Body, ReadBuffer) { BodyLengthLimit = null };
        var fields = new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase);
        var files = new FormFileCollection();
        string? checksum = null;
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? string.Empty;
            if (disposition.IsFileDisposition())
            {
                var fileName = HeaderUtilities.RemoveQuotes(disposition.FileName).Value ?? string.Empty;
                if (name == FileField && checksum is null)
                {
                    var (stored, digest) = await StoreAsync(section.Body, cancellationToken);
                    request.HttpContext.Response.RegisterForDispose(stored);
                    checksum = digest;
                    files.Add(new FormFile(stored, 0, stored.Length, name, fileName) { Headers = new HeaderDictionary(), ContentType = section.ContentType ?? string.Empty });
                }
                else
                {
                    await section.Body.CopyToAsync(Stream.Null, cancellationToken);
                    files.Add(new FormFile(Stream.Null, 0, 0, name, fileName));
                }

                continue;
            }

            using var text = new StreamReader(section.Body);
            var value = await text.ReadToEndAsync(cancellationToken);
            fields[name] = fields.TryGetValue(name, out var earlier) ? StringValues.Concat(earlier, value) : new StringValues(value);
        }

        var form = new FormCollection(fields, files);
        request.HttpContext.Features.Set<IFormFeature>(new FormFeature(form));
        return (form, checksum);
    }

    private static async Task<(Stream Stored, string Checksum)> StoreAsync(Stream body, CancellationToken cancellationToken)
    {
        Stream stored = new MemoryStream();
        try
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[ReadBuffer];
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                sha.AppendData(buffer, 0, read);
                if (stored is MemoryStream memory && memory.Length + read > InMemoryLimit)
                {
                    stored = await SpillAsync(memory, cancellationToken);
                }

                await stored.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            await stored.FlushAsync(cancellationToken);
            stored.Position = 0;
            return (stored, Convert.ToHexStringLower(sha.GetHashAndReset()));
        }
        catch
        {
            await stored.DisposeAsync();
            throw;
        }
    }

    /// <summary>What was kept in memory, moved to a temporary file that the rest of the upload follows into.</summary>
    private static async Task<Stream> SpillAsync(MemoryStream memory, CancellationToken cancellationToken)
    {
        var file = new FileStream(Path.Combine(Path.GetTempPath(), "kernel-emulator-" + Guid.NewGuid().ToString("N")), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        try
        {
            await file.WriteAsync(memory.GetBuffer().AsMemory(0, (int)memory.Length), cancellationToken);
            return file;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }
}
