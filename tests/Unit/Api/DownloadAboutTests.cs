using System.Net;
using System.Net.Http;
using System.Security;
using Kernel.PowerShell.Api;
using Kernel.PowerShell.Diagnostics;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Api;

/// <summary>A download about one object, resource or not (a replay): its own Accept, and a 404 that names the object.</summary>
public class DownloadAboutTests
{
    private static readonly SecureString Key = new NetworkCredential(string.Empty, "sk_test").SecurePassword;

    [Fact]
    public async Task A_replay_is_asked_for_as_an_mp4_at_its_own_path()
    {
        HttpRequestMessage? asked = null;
        using var folder = new TempFolder();
        using var client = Client(request =>
        {
            asked = request;
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([1, 2, 3]) };
        });
        using var target = new FileDownload(Path.Combine(folder.Path, "r1.mp4"), overwrite: false);

        var file = await client.DownloadReplayAsync("b1", "r1", target, TimeSpan.FromSeconds(5), NullObserver.Instance, CancellationToken.None);

        Assert.Equal("/browsers/b1/replays/r1", asked!.RequestUri!.AbsolutePath);
        Assert.Equal("video/mp4", Assert.Single(asked.Headers.Accept).MediaType);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(file.FullName));
    }

    [Fact]
    public async Task A_replay_that_is_not_there_is_not_found_by_its_id()
    {
        using var folder = new TempFolder();
        using var client = Client(_ => new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("""{"code":"not_found","message":"no such replay"}""") });
        using var target = new FileDownload(Path.Combine(folder.Path, "r1.mp4"), overwrite: false);

        var missing = await Assert.ThrowsAsync<KernelObjectNotFoundException>(() => client.DownloadReplayAsync("b1", "r1", target, TimeSpan.FromSeconds(5), NullObserver.Instance, CancellationToken.None));

        Assert.Equal("replay", missing.Noun);
        Assert.Equal("Replay 'r1' was not found.", missing.Message);
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    private static KernelApiClient Client(Func<HttpRequestMessage, HttpResponseMessage> answer) =>
        new(new Uri("http://127.0.0.1:9/"), Key, null, new AnswerWith(answer));

    private sealed class AnswerWith(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => Task.FromResult(answer(request));
    }
}
