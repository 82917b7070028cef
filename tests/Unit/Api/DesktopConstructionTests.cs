using System.Net;
using System.Net.Http;
using System.Reflection;
using System.Security;
using System.Text;
using Kernel.PowerShell.Api;
using Kernel.PowerShell.Diagnostics;
using Kernel.PowerShell.Packaging;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Api;

/// <summary>
/// What Windows PowerShell 5.1 (.NET Framework) needs, checked here where it can be: the shape of the requests
/// and the decisions, since 5.1 itself cannot run on this machine.
/// </summary>
public class DesktopConstructionTests
{
    private static readonly SecureString Key = new NetworkCredential(string.Empty, "sk_test").SecurePassword;

    [Fact]
    public async Task A_streamed_upload_says_it_is_chunked_so_NET_Framework_does_not_buffer_it_whole()
    {
        bool? chunked = null;
        using var client = new KernelApiClient(new Uri("http://127.0.0.1:9/"), Key, null, new AnswerWith(async request =>
        {
            chunked = request.Headers.TransferEncodingChunked;
            await request.Content!.CopyToAsync(Stream.Null);
            return new HttpResponseMessage(HttpStatusCode.Created) { Content = new StringContent("""{"id":"d1","status":"queued","created_at":"2026-12-01T00:00:00Z","region":"aws.us-east-1a"}""") };
        }));
        var archive = new FolderArchive(AppFolder.Scan(RepositoryPaths.Example("page-title"), CancellationToken.None));

        await client.CreateDeploymentAsync(DeploymentUpload.FromArchive(archive, "main.py", "latest", false, KernelRegions.Default, new Dictionary<string, string>()), NullObserver.Instance, CancellationToken.None);

        Assert.True(chunked);
    }

    [Fact]
    public async Task A_silent_event_stream_whose_reads_ignore_the_token_still_ends_on_cancel()
    {
        using var client = new KernelApiClient(new Uri("http://127.0.0.1:9/"), Key, null, new AnswerWith(_ =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new DeafStream()) })));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var following = client.FollowDeploymentEventsAsync("d1", null, _ => true, NullObserver.Instance, cancel.Token);

        Assert.Same(following, await Task.WhenAny(following, Task.Delay(TimeSpan.FromSeconds(10))));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => following);
    }

    [Theory]
    [InlineData(SecurityProtocolType.Tls, SecurityProtocolType.Tls | SecurityProtocolType.Tls12)]
    [InlineData(SecurityProtocolType.Tls | SecurityProtocolType.Tls11, SecurityProtocolType.Tls | SecurityProtocolType.Tls11 | SecurityProtocolType.Tls12)]
    [InlineData(SecurityProtocolType.Tls12, SecurityProtocolType.Tls12)]
    [InlineData(SecurityProtocolType.Tls13, SecurityProtocolType.Tls13 | SecurityProtocolType.Tls12)]
    [InlineData((SecurityProtocolType)0, (SecurityProtocolType)0)]
    public void TLS_1_2_is_added_to_what_the_host_enabled_and_nothing_is_removed(SecurityProtocolType before, SecurityProtocolType after) =>
        Assert.Equal(after, DesktopTls.WithTls12(before));

    [Fact]
    public void On_NET_the_protocols_are_left_to_the_operating_system()
    {
#pragma warning disable SYSLIB0014 // ServicePointManager: the setting .NET Framework reads, read here to see it untouched
        var before = ServicePointManager.SecurityProtocol;

        using var client = new KernelApiClient(new Uri("https://127.0.0.1:9/"), Key, null);

        Assert.Null(DesktopTls.EnsureTls12());
        Assert.Equal(before, ServicePointManager.SecurityProtocol);
#pragma warning restore SYSLIB0014
    }

    [Fact]
    public void The_resolve_handler_answers_a_request_with_no_requester_only_for_our_own_assemblies()
    {
        Assert.True(WireFormat.AnswersFor("Kernel.PowerShell.Json", null, "/modules/Kernel/"));
        Assert.True(WireFormat.AnswersFor("Kernel.PowerShell", null, "/modules/Kernel/"));
        Assert.False(WireFormat.AnswersFor("System.Text.Json", null, "/modules/Kernel/"));
        Assert.False(WireFormat.AnswersFor("System.Memory", null, "/modules/Kernel/"));
    }

    [Fact]
    public void The_resolve_handler_answers_requests_from_the_module_folder_only()
    {
        var ours = typeof(WireFormat).Assembly;
        var folder = Path.GetDirectoryName(ours.Location)! + Path.DirectorySeparatorChar;

        Assert.True(WireFormat.AnswersFor("System.Text.Json", ours, folder));
        Assert.False(WireFormat.AnswersFor("System.Text.Json", typeof(Xunit.FactAttribute).Assembly, "/elsewhere/"));
        Assert.False(WireFormat.AnswersFor("System.Text.Json", ours, "/elsewhere/"));
    }

    private sealed class AnswerWith(Func<HttpRequestMessage, Task<HttpResponseMessage>> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => answer(request);
    }

    /// <summary>Like a .NET Framework response stream: a read ignores its token and ends only when the stream is disposed.</summary>
    private sealed class DeafStream : Stream
    {
        private readonly TaskCompletionSource<int> _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _disposed.Task;

        public override int Read(byte[] buffer, int offset, int count) => _disposed.Task.GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            _disposed.TrySetException(new ObjectDisposedException(nameof(DeafStream)));
            base.Dispose(disposing);
        }
    }
}
