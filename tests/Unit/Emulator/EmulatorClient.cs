using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Emulator;

/// <summary>
/// Plain HTTP against the emulator, the way any Kernel client would talk to it. Each instance works in its
/// own project (X-Kernel-Project-Id), so tests sharing one emulator never see each other's data.
/// </summary>
public sealed class EmulatorClient : IDisposable
{
    public const string PythonApp = "import kernel\napp = kernel.App(\"shop\")\n\n@app.action(\"buy\")\nasync def buy(ctx, payload):\n    return payload\n\n@app.action(\"sell\")\nasync def sell(ctx, payload):\n    return payload\n";

    private readonly HttpClient _http;

    public EmulatorClient(EmulatorFixture emulator, string? project = null, string? apiKey = null)
    {
        Project = project ?? "proj_" + Guid.NewGuid().ToString("N")[..10];
        _http = new HttpClient { BaseAddress = emulator.BaseUri, Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey ?? emulator.ApiKeyText);
        _http.DefaultRequestHeaders.Add("X-Kernel-Project-Id", Project);
    }

    public string Project { get; }

    public HttpClient Http => _http;

    public static byte[] Zip(params (string Name, string Content)[] files)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in files)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open());
                writer.Write(content);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>A ZIP whose entries say "made by Unix" with the given mode (octal text; "0" for none, as the module wrote before).</summary>
    public static byte[] ZipWithModes(params (string Name, string Content, string Mode)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content, mode) in entries)
            {
                var entry = zip.CreateEntry(name);
                entry.ExternalAttributes = ((name.EndsWith('/') ? 0x4000 : 0x8000) | Convert.ToInt32(mode, 8)) << 16;
                if (mode == "0")
                {
                    entry.ExternalAttributes = 0;
                }

                using var writer = new StreamWriter(entry.Open());
                writer.Write(content);
            }
        }

        return buffer.ToArray();
    }

    public static MultipartFormDataContent Form(byte[]? zip, params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        if (zip is not null)
        {
            form.Add(new ByteArrayContent(zip), "file", "app.zip");
        }

        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        return form;
    }

    public Task<HttpResponseMessage> CreateAsync(byte[]? zip, params (string Name, string Value)[] fields) =>
        _http.PostAsync("deployments", Form(zip, fields));

    /// <summary>Creates a deployment of the "shop" app and returns its JSON.</summary>
    public async Task<JsonElement> DeployShopAsync(string version = "latest", bool force = false)
    {
        using var response = await CreateAsync(Zip(("main.py", PythonApp)), ("entrypoint_rel_path", "main.py"), ("version", version), ("force", force ? "true" : "false"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await JsonAsync(response);
    }

    /// <summary>Polls a deployment until it has the status (or fails the test after 10 s).</summary>
    public async Task<JsonElement> WaitForStatusAsync(string path, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var current = await GetJsonAsync(path);
            if (current.GetProperty("status").GetString() == status)
            {
                return current;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{path} stayed {current.GetProperty("status")} instead of reaching {status}");
            await Task.Delay(20);
        }
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await JsonAsync(response);
    }

    public Task<HttpResponseMessage> PostJsonAsync(string path, object body) =>
        _http.PostAsync(path, new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));

    public Task<HttpResponseMessage> PatchJsonAsync(string path, object body) =>
        _http.PatchAsync(path, new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));

    /// <summary>Reads an event stream until it ends, <paramref name="max"/> events arrive, or the time is up.</summary>
    public async Task<List<JsonElement>> ReadEventsAsync(string path, int max = 100, int seconds = 10)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
        var events = new List<JsonElement>();
        try
        {
            while (events.Count < max && await reader.ReadLineAsync(cancel.Token) is { } line)
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    events.Add(JsonDocument.Parse(line[6..]).RootElement.Clone());
                }
                else
                {
                    Assert.True(line.Length == 0, $"unexpected SSE line '{line}'");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        return events;
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    /// <summary>Asserts Kernel's error body and status.</summary>
    public static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        var body = await JsonAsync(response);
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
    }

    public void Dispose() => _http.Dispose();
}
