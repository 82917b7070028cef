using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kernel.Emulator.Deployments;
using Kernel.Emulator.Store;

namespace Kernel.Emulator.Extensions;

/// <summary>
/// The extensions endpoints (the pinned SDK's extensions.d.ts): upload (multipart <c>file</c> and <c>name</c>), list
/// (exact name, query, offset paging), metadata, download (the same bytes) and delete by id or name, and the Chrome
/// Web Store download, which answers a small generated extension for any store URL with an extension id.
/// </summary>
public static partial class ExtensionRoutes
{
    /// <summary>The largest archive kept; uploads are held in memory.</summary>
    public const long MaxBytes = 32L * 1024 * 1024;

    public const string Manifest = "manifest.json";

    public static void Map(WebApplication app)
    {
        app.MapPost("/extensions", UploadAsync);
        app.MapGet("/extensions", List);
        app.MapGet("/extensions/from_chrome_store", FromChromeStore);
        app.MapGet("/extensions/{id}/metadata", (string id, HttpContext context, World world) =>
            world.FindExtension(ProjectScope.Of(context), id) is { } extension ? Results.Json(world.Locked(extension.View), KernelJson.Options) : KernelErrors.NotFound("extension"));
        app.MapGet("/extensions/{id}", (string id, HttpContext context, World world) =>
            world.FindExtension(ProjectScope.Of(context), id) is { } extension
                ? Results.Bytes(extension.Archive, "application/octet-stream", (extension.Name ?? extension.Id) + ".zip")
                : KernelErrors.NotFound("extension"));
        app.MapDelete("/extensions/{id}", (string id, HttpContext context, World world) =>
        {
            if (world.FindExtension(ProjectScope.Of(context), id) is not { } extension)
            {
                return KernelErrors.NotFound("extension");
            }

            world.Remove(extension);
            return Results.NoContent();
        });
    }

    private static async Task<IResult> UploadAsync(HttpRequest request, World world, TimeProvider clock)
    {
        if (!request.HasFormContentType)
        {
            return KernelErrors.BadRequest("request body must be multipart/form-data");
        }

        var (form, checksum) = await StreamedForm.ReadAsync(request, request.HttpContext.RequestAborted);
        var name = form["name"].ToString() is { Length: > 0 } given ? given : null;
        if (name is not null && !World.IsValidName(name))
        {
            return KernelErrors.BadRequest(World.InvalidName(name));
        }

        if (form.Files.GetFile(StreamedForm.FileField) is not { } file || checksum is null)
        {
            return KernelErrors.BadRequest("Missing required field: file");
        }

        if (file.Length > MaxBytes)
        {
            return KernelErrors.BadRequest($"the extension archive is {file.Length} bytes; the emulator keeps at most {MaxBytes} bytes");
        }

        var bytes = new byte[file.Length];
        await using (var upload = file.OpenReadStream())
        {
            await upload.ReadExactlyAsync(bytes, request.HttpContext.RequestAborted);
        }

        if (ManifestProblem(bytes) is { } problem)
        {
            return KernelErrors.BadRequest(problem);
        }

        var project = ProjectScope.Of(request.HttpContext);
        lock (world.Gate)
        {
            if (name is not null && world.FindExtension(project, name) is not null)
            {
                return KernelErrors.NameTaken("an extension", name);
            }

            var extension = new ExtensionRecord(World.NewId(), project, name, clock.GetUtcNow().UtcDateTime, bytes, checksum);
            world.Add(extension);
            return Results.Json(extension.View(), KernelJson.Options, statusCode: StatusCodes.Status201Created);
        }
    }

    private static IResult List(HttpContext context, World world, string? name, string? query) =>
        Paging.List(context, world, () => world.Extensions(ProjectScope.Of(context))
            .Where(e => string.IsNullOrEmpty(name) || World.SameName(e.Name, name))
            .Where(e => Paging.Found(query, e.Id, e.Name))
            .Select(e => e.View()));

    /// <summary>A store URL names its extension by a 32-letter id (a to p); the answer is a small extension made for it.</summary>
    private static IResult FromChromeStore(string? url, string? os)
    {
        if (os is not (null or "" or "linux" or "mac" or "win"))
        {
            return KernelErrors.BadRequest($"invalid os '{os}': must be linux, mac or win");
        }

        if (string.IsNullOrEmpty(url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps
            || !(uri.Host == "chromewebstore.google.com" || (uri.Host == "chrome.google.com" && uri.AbsolutePath.StartsWith("/webstore/", StringComparison.Ordinal)))
            || uri.Segments.Select(s => s.TrimEnd('/')).LastOrDefault(s => StoreId().IsMatch(s)) is not { } id)
        {
            return KernelErrors.BadRequest($"url must be a Chrome Web Store extension page (https://chromewebstore.google.com/detail/…/<id>), not '{url}'");
        }

        return Results.Bytes(StoreExtension(id, os is null or "" ? "linux" : os), "application/octet-stream", id + ".zip");
    }

    /// <summary>Why an uploaded archive is not an unpacked extension; null when it is one.</summary>
    private static string? ManifestProblem(byte[] archive)
    {
        try
        {
            using var zip = new ZipArchive(new MemoryStream(archive), ZipArchiveMode.Read);
            return zip.Entries.Any(e => e.FullName == Manifest)
                ? null
                : $"the archive has no {Manifest} at its top: upload the unpacked extension's folder, zipped with {Manifest} at the root";
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or ArgumentException)
        {
            return "the uploaded file is not a valid ZIP archive";
        }
    }

    /// <summary>The same bytes every time for an id and an os: a manifest and a background script.</summary>
    private static byte[] StoreExtension(string id, string os)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, text) in new[]
            {
                (Manifest, JsonSerializer.Serialize(new
                {
                    manifest_version = 3,
                    name = "Chrome Web Store extension " + id,
                    version = "1.0.0",
                    description = $"Made by the Kernel emulator for the {os} package of {id}",
                    background = new { service_worker = "background.js" },
                })),
                ("background.js", "// The Kernel emulator's stand-in for a Chrome Web Store extension.\n"),
            })
            {
                var entry = zip.CreateEntry(path, CompressionLevel.Optimal);
                entry.LastWriteTime = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
                using var writer = entry.Open();
                writer.Write(Encoding.UTF8.GetBytes(text));
            }
        }

        return buffer.ToArray();
    }

    [GeneratedRegex("^[a-p]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex StoreId();
}
