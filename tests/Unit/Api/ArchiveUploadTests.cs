using System.Net;
using System.Net.Http;
using System.Security;
using Kernel.PowerShell.Api;
using Kernel.PowerShell.Diagnostics;

namespace Kernel.PowerShell.Tests.Api;

/// <summary>
/// What deployments and extensions share when their archive is POSTed: sent again only on a refusal, the archive's
/// own failure as the reason, and the server's checksum compared with the one sent.
/// </summary>
public class ArchiveUploadTests
{
    private static readonly SecureString Key = new NetworkCredential(string.Empty, "sk_test").SecurePassword;
    private const string Deployment = """{"id":"d1","status":"queued","created_at":"2026-12-01T00:00:00Z","region":"aws.us-east-1a","source_checksum":"CHECKSUM"}""";
    private const string Extension = """{"id":"e1","name":"ext","created_at":"2026-12-01T00:00:00Z","size_bytes":3,"checksum":"CHECKSUM"}""";

    [Fact]
    public async Task An_extension_refused_with_429_is_sent_again_and_made_once()
    {
        var posts = 0;
        var observer = new Recording();
        using var client = Client(async request =>
        {
            await request.Content!.CopyToAsync(Stream.Null);
            if (++posts == 1)
            {
                var refused = new HttpResponseMessage((HttpStatusCode)429) { Content = new StringContent("""{"code":"rate_limited","message":"slow down"}""") };
                refused.Headers.TryAddWithoutValidation("retry-after-ms", "10");
                return refused;
            }

            return Answer(Extension, checksum: null);
        });

        var extension = await client.UploadExtensionAsync(new Bytes([1, 2, 3]), "ext", observer, CancellationToken.None);

        Assert.Equal("e1", extension.Id);
        Assert.Equal(2, posts);
        Assert.Contains(observer.Verbose, v => v.StartsWith("POST /extensions was not accepted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_extension_whose_answer_is_lost_is_not_sent_again()
    {
        var posts = 0;
        using var client = Client(async request =>
        {
            await request.Content!.CopyToAsync(Stream.Null);
            posts++;
            return new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent("bad gateway") };
        });

        await Assert.ThrowsAsync<KernelApiException>(() => client.UploadExtensionAsync(new Bytes([1, 2, 3]), null, NullObserver.Instance, CancellationToken.None));

        Assert.Equal(1, posts);
    }

    [Fact]
    public async Task An_archive_that_cannot_be_read_is_the_reason_given_and_nothing_is_sent_again()
    {
        var posts = 0;
        using var client = Client(async request =>
        {
            posts++;
            await request.Content!.CopyToAsync(Stream.Null);
            return Answer(Extension, checksum: null);
        });

        var failure = await Assert.ThrowsAsync<IOException>(() => client.UploadExtensionAsync(new Unreadable(), null, NullObserver.Instance, CancellationToken.None));

        Assert.Equal("the disk is gone", failure.Message);
        Assert.Equal(1, posts);
    }

    [Theory]
    [InlineData("deployment", "Deployment d1")]
    [InlineData("extension", "Extension e1")]
    public async Task A_checksum_the_server_computed_otherwise_is_a_warning_naming_what_was_made(string kind, string named)
    {
        var observer = new Recording();
        using var client = Client(async request =>
        {
            await request.Content!.CopyToAsync(Stream.Null);
            return Answer(kind == "deployment" ? Deployment : Extension, checksum: "0000");
        });
        var archive = new Bytes([1, 2, 3]);

        if (kind == "deployment")
        {
            await client.CreateDeploymentAsync(DeploymentUpload.FromArchive(archive, "main.py", "latest", false, KernelRegions.Default, new Dictionary<string, string>()), observer, CancellationToken.None);
        }
        else
        {
            await client.UploadExtensionAsync(archive, null, observer, CancellationToken.None);
        }

        var sent = "039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81"; // SHA-256 of 01 02 03
        Assert.Contains($"Archive SHA-256 {sent}.", observer.Verbose);
        Assert.Equal([$"{named}: the server's checksum of the archive (0000) differs from what was sent ({sent})."], observer.Warnings);
    }

    [Theory]
    [InlineData("deployment")]
    [InlineData("extension")]
    public async Task The_same_checksum_in_any_case_is_no_warning(string kind)
    {
        var observer = new Recording();
        using var client = Client(async request =>
        {
            await request.Content!.CopyToAsync(Stream.Null);
            return Answer(kind == "deployment" ? Deployment : Extension, checksum: "039058C6F2C0CB492C533B0A4D14EF77CC0F78ABCCCED5287D84A1A2011CFB81");
        });
        var archive = new Bytes([1, 2, 3]);

        if (kind == "deployment")
        {
            await client.CreateDeploymentAsync(DeploymentUpload.FromArchive(archive, "main.py", "latest", false, KernelRegions.Default, new Dictionary<string, string>()), observer, CancellationToken.None);
        }
        else
        {
            await client.UploadExtensionAsync(archive, null, observer, CancellationToken.None);
        }

        Assert.Empty(observer.Warnings);
    }

    private static KernelApiClient Client(Func<HttpRequestMessage, Task<HttpResponseMessage>> answer) =>
        new(new Uri("http://127.0.0.1:9/"), Key, null, new AnswerWith(answer));

    private static HttpResponseMessage Answer(string json, string? checksum) =>
        new(HttpStatusCode.Created)
        {
            Content = new StringContent(checksum == null ? json.Replace(",\"source_checksum\":\"CHECKSUM\"", string.Empty).Replace(",\"checksum\":\"CHECKSUM\"", string.Empty) : json.Replace("CHECKSUM", checksum)),
        };

    private sealed class AnswerWith(Func<HttpRequestMessage, Task<HttpResponseMessage>> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => answer(request);
    }

    private sealed class Bytes(byte[] bytes) : IArchiveSource
    {
        public long? Length => bytes.Length;

        public bool IsUnique => true;

        public Task WriteToAsync(Stream target, IOperationObserver observer, CancellationToken cancellationToken) =>
            target.WriteAsync(bytes, 0, bytes.Length, cancellationToken);
    }

    private sealed class Unreadable : IArchiveSource
    {
        public long? Length => null;

        public bool IsUnique => true;

        public async Task WriteToAsync(Stream target, IOperationObserver observer, CancellationToken cancellationToken)
        {
            await target.WriteAsync(new byte[] { 1 }, 0, 1, cancellationToken);
            throw new IOException("the disk is gone");
        }
    }

    private sealed class Recording : IOperationObserver
    {
        public List<string> Verbose { get; } = [];

        public List<string> Warnings { get; } = [];

        void IOperationObserver.Verbose(string message)
        {
            lock (Verbose)
            {
                Verbose.Add(message);
            }
        }

        public void Debug(string message) { }

        public void Warning(string message)
        {
            lock (Warnings)
            {
                Warnings.Add(message);
            }
        }

        public void Log(KernelLogEntry entry) { }

        public void Progress(OperationProgress progress) { }
    }
}
