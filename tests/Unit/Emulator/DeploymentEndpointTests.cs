using System.Net;
using System.Text.Json;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Emulator;

/// <summary>The emulator's deployments endpoints, as kernel-api.md §4–6 describes the real ones.</summary>
public sealed class DeploymentEndpointTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly EmulatorClient _client = new(emulator);

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task Requests_without_a_valid_key_get_401_with_Kernels_error_body()
    {
        using var wrong = new EmulatorClient(emulator, apiKey: "sk_wrong");

        await EmulatorClient.AssertErrorAsync(await wrong.Http.GetAsync("deployments"), HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task The_source_checksum_is_the_SHA256_of_the_uploaded_archive_which_arrives_whole()
    {
        // Random text does not compress: the archive spans many of the emulator's 64 KB reads.
        var padding = "# " + Convert.ToBase64String(new Random(5).GetItems(Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(), 400_000)) + "\n";
        var zip = EmulatorClient.Zip(("main.py", EmulatorClient.PythonApp + padding), ("README.md", "the shop"));

        using var response = await _client.CreateAsync(zip, ("entrypoint_rel_path", "main.py"), ("version", "checksum"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await EmulatorClient.JsonAsync(response);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(zip)), created.GetProperty("source_checksum").GetString());
        var events = await _client.ReadEventsAsync($"deployments/{created.GetProperty("id")}/events", max: 6, seconds: 5);
        Assert.Contains(events, e => e.GetProperty("event").GetString() == "log"
            && e.GetProperty("message").GetString()!.StartsWith($"Received app archive (2 files, {zip.Length} bytes", StringComparison.Ordinal));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task An_upload_up_to_32_MB_stays_in_memory_and_a_bigger_one_goes_on_to_a_temporary_file()
    {
        // What the emulator process writes (files and pipes alike), from the kernel's own count.
        long Written() => long.Parse(File.ReadAllLines($"/proc/{emulator.Emulator.ProcessId}/io").Single(l => l.StartsWith("wchar:")).Split(':')[1]);
        foreach (var (megabytes, toFile) in new[] { (24, false), (40, true) })
        {
            var noise = new byte[megabytes * 1_000_000];
            new Random(megabytes).NextBytes(noise);
            using var buffer = new MemoryStream();
            using (var archive = new System.IO.Compression.ZipArchive(buffer, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
            {
                using (var writer = new StreamWriter(archive.CreateEntry("main.py").Open()))
                {
                    writer.Write(EmulatorClient.PythonApp);
                }

                using var weights = archive.CreateEntry("weights.bin", System.IO.Compression.CompressionLevel.NoCompression).Open();
                weights.Write(noise);
            }

            var before = Written();
            using var response = await _client.CreateAsync(buffer.ToArray(), ("entrypoint_rel_path", "main.py"), ("version", $"upload-{megabytes}"));
            var written = Written() - before;

            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.True(toFile ? written >= noise.Length : written < 1_000_000, $"{megabytes} MB upload: the emulator wrote {written} bytes");
        }
    }

    [Fact]
    public async Task A_deployment_goes_from_queued_to_running_with_logs_and_the_app_summary_before_running()
    {
        var created = await _client.DeployShopAsync();
        Assert.Equal("queued", created.GetProperty("status").GetString());
        Assert.Equal("aws.us-east-1a", created.GetProperty("region").GetString());
        Assert.Equal("file", created.GetProperty("source_type").GetString());
        Assert.Matches("^[0-9a-f]{64}$", created.GetProperty("source_checksum").GetString());

        var events = await _client.ReadEventsAsync($"deployments/{created.GetProperty("id")}/events", max: 12, seconds: 5);

        var kinds = events.Select(e => e.GetProperty("event").GetString()).ToList();
        Assert.Equal("deployment_state", kinds[0]);
        Assert.Contains("log", kinds);
        var summary = kinds.IndexOf("app_version_summary");
        var running = events.FindIndex(e => e.GetProperty("event").GetString() == "deployment_state" && e.GetProperty("deployment").GetProperty("status").GetString() == "running");
        Assert.InRange(summary, 1, running - 1);
        var app = events[summary];
        Assert.Equal("shop", app.GetProperty("app_name").GetString());
        Assert.Equal(["buy", "sell"], app.GetProperty("actions").EnumerateArray().Select(a => a.GetProperty("name").GetString()));
        Assert.All(events, e => Assert.True(e.TryGetProperty("timestamp", out _)));
    }

    [Fact]
    public async Task Both_env_var_encodings_are_accepted_and_values_come_back_empty()
    {
        using var response = await _client.CreateAsync(
            EmulatorClient.Zip(("main.py", EmulatorClient.PythonApp)),
            ("entrypoint_rel_path", "main.py"), ("env_vars[BRACKET]", "secret1"), ("env_vars.DOT", "secret2"));

        var env = (await EmulatorClient.JsonAsync(response)).GetProperty("env_vars");
        Assert.Equal(["BRACKET", "DOT"], env.EnumerateObject().Select(p => p.Name).Order());
        Assert.All(env.EnumerateObject(), p => Assert.Equal(string.Empty, p.Value.GetString()));
    }

    [Fact]
    public async Task A_request_with_neither_file_nor_source_is_400() =>
        await EmulatorClient.AssertErrorAsync(await _client.CreateAsync(null, ("entrypoint_rel_path", "main.py")), HttpStatusCode.BadRequest, "bad_request");

    [Fact]
    public async Task A_GitHub_source_is_recorded_and_built_without_fetching()
    {
        var form = EmulatorClient.Form(null, ("version", "1.0.0"));
        form.Add(new StringContent("""{"type":"github","url":"https://github.com/acme/web-agent","ref":"main","entrypoint":"src/index.ts","path":"apps/agent"}""", System.Text.Encoding.UTF8, "application/json"), "source");

        using var response = await _client.Http.PostAsync("deployments", form);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await EmulatorClient.JsonAsync(response);

        Assert.Equal("github", created.GetProperty("source_type").GetString());
        Assert.Equal("https://github.com/acme/web-agent", created.GetProperty("source_url").GetString());
        Assert.Equal("main", created.GetProperty("source_ref").GetString());
        Assert.Equal("apps/agent", created.GetProperty("source_path").GetString());
        Assert.Equal("src/index.ts", created.GetProperty("entrypoint_rel_path").GetString());
        await _client.WaitForStatusAsync($"deployments/{created.GetProperty("id")}", "running");
    }

    [Theory]
    [InlineData("not a zip at all", "not a valid ZIP archive")]
    [InlineData(null, "Entrypoint 'main.py' was not found")]
    [InlineData("zip:print('hello')", "No Kernel app found in 'main.py'")]
    public async Task Builds_fail_with_a_reason(string? upload, string reason)
    {
        var bytes = upload switch
        {
            null => EmulatorClient.Zip(("other.py", "x")),
            _ when upload.StartsWith("zip:", StringComparison.Ordinal) => EmulatorClient.Zip(("main.py", upload[4..])),
            _ => System.Text.Encoding.UTF8.GetBytes(upload),
        };
        using var response = await _client.CreateAsync(bytes, ("entrypoint_rel_path", "main.py"));
        var id = (await EmulatorClient.JsonAsync(response)).GetProperty("id").GetString();

        var failed = await _client.WaitForStatusAsync($"deployments/{id}", "failed");

        Assert.Contains(reason, failed.GetProperty("status_reason").GetString());
    }

    [Theory]
    [InlineData("0", "755", "cannot be read by the app's user: it has mode 0000 (----------)")]
    [InlineData("600", "755", "cannot be read by the app's user: it has mode 0600 (-rw-------)")]
    [InlineData("644", "700", "cannot be reached by the app's user: its folder 'src/' has mode 0700 (drwx------)")]
    public async Task An_entrypoint_the_apps_user_cannot_read_fails_the_build_as_a_Linux_runtime_would(string fileMode, string folderMode, string reason)
    {
        var zip = EmulatorClient.ZipWithModes(("src/", "", folderMode), ("src/main.py", EmulatorClient.PythonApp, fileMode));
        using var response = await _client.CreateAsync(zip, ("entrypoint_rel_path", "src/main.py"));
        var id = (await EmulatorClient.JsonAsync(response)).GetProperty("id").GetString();

        var failed = await _client.WaitForStatusAsync($"deployments/{id}", "failed");

        Assert.Contains(reason, failed.GetProperty("status_reason").GetString());
    }

    [Fact]
    public async Task Other_files_the_apps_user_cannot_read_are_named_in_a_build_warning()
    {
        var zip = EmulatorClient.ZipWithModes(("main.py", EmulatorClient.PythonApp, "644"), ("lib/secret.py", "x", "0"), ("run.sh", "#!/bin/sh", "755"));
        using var response = await _client.CreateAsync(zip, ("entrypoint_rel_path", "main.py"));
        var id = (await EmulatorClient.JsonAsync(response)).GetProperty("id").GetString();
        await _client.WaitForStatusAsync($"deployments/{id}", "running");

        var events = await _client.ReadEventsAsync($"deployments/{id}/events", seconds: 1);

        Assert.Contains(events, e => e.GetProperty("event").GetString() == "log"
            && e.GetProperty("message").GetString() == "warning: 1 file(s) cannot be read by the app's user: lib/secret.py (0000 (----------))\n");
    }

    [Fact]
    public async Task A_new_deployment_of_the_same_version_supersedes_the_running_one()
    {
        var first = await _client.DeployShopAsync("2.0");
        await _client.WaitForStatusAsync($"deployments/{first.GetProperty("id")}", "running");

        var second = await _client.DeployShopAsync("2.0", force: true);
        await _client.WaitForStatusAsync($"deployments/{second.GetProperty("id")}", "running");

        var old = await _client.WaitForStatusAsync($"deployments/{first.GetProperty("id")}", "stopped");
        Assert.Contains(second.GetProperty("id").GetString()!, old.GetProperty("status_reason").GetString());
    }

    [Fact]
    public async Task An_existing_version_label_needs_force_but_latest_never_does()
    {
        await _client.DeployShopAsync("3.0");
        await _client.DeployShopAsync("latest");

        using var conflict = await _client.CreateAsync(EmulatorClient.Zip(("main.py", EmulatorClient.PythonApp)), ("entrypoint_rel_path", "main.py"), ("version", "3.0"));
        await EmulatorClient.AssertErrorAsync(conflict, HttpStatusCode.Conflict, "conflict");
        await _client.DeployShopAsync("latest");
    }

    [Fact]
    public async Task Lists_page_with_Kernels_headers_and_zero_next_offset_on_the_last_page()
    {
        for (var i = 0; i < 7; i++)
        {
            await _client.DeployShopAsync();
        }

        var seen = new List<string>();
        var offset = 0;
        var pages = 0;
        while (true)
        {
            using var response = await _client.Http.GetAsync($"deployments?limit=3&offset={offset}");
            var page = await EmulatorClient.JsonAsync(response);
            Assert.Equal(JsonValueKind.Array, page.ValueKind);
            seen.AddRange(page.EnumerateArray().Select(d => d.GetProperty("id").GetString()!));
            pages++;
            Assert.Equal("3", response.Headers.GetValues("X-Limit").Single());
            Assert.Equal(offset.ToString(), response.Headers.GetValues("X-Offset").Single());
            var next = int.Parse(response.Headers.GetValues("X-Next-Offset").Single());
            if (response.Headers.GetValues("X-Has-More").Single() == "false")
            {
                Assert.Equal(0, next);
                break;
            }

            Assert.Equal(offset + 3, next);
            offset = next;
        }

        Assert.Equal(3, pages);
        Assert.Equal(7, seen.Distinct().Count());
    }

    [Theory]
    [InlineData("deployments?app_version=1.0")]
    [InlineData("deployments?limit=0")]
    [InlineData("deployments?limit=101")]
    [InlineData("deployments?offset=-1")]
    public async Task Bad_list_queries_are_400(string path) =>
        await EmulatorClient.AssertErrorAsync(await _client.Http.GetAsync(path), HttpStatusCode.BadRequest, "bad_request");

    [Fact]
    public async Task Lists_filter_by_app_name_version_and_query()
    {
        var wanted = await _client.DeployShopAsync("9.9");
        await _client.WaitForStatusAsync($"deployments/{wanted.GetProperty("id")}", "running");
        await _client.DeployShopAsync();
        var id = wanted.GetProperty("id").GetString()!;

        var byVersion = await _client.GetJsonAsync("deployments?app_name=shop&app_version=9.9");
        var byQuery = await _client.GetJsonAsync($"deployments?query={id[..10]}");
        var none = await _client.GetJsonAsync("deployments?app_name=nope");

        Assert.Equal([id], byVersion.EnumerateArray().Select(d => d.GetProperty("id").GetString()));
        Assert.Contains(id, byQuery.EnumerateArray().Select(d => d.GetProperty("id").GetString()));
        Assert.Equal(0, none.GetArrayLength());
    }

    [Fact]
    public async Task Delete_stops_a_running_deployment_and_drops_it_from_lists()
    {
        var created = await _client.DeployShopAsync();
        var id = created.GetProperty("id").GetString()!;
        await _client.WaitForStatusAsync($"deployments/{id}", "running");

        using var deleted = await _client.Http.DeleteAsync($"deployments/{id}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal("stopped", (await _client.GetJsonAsync($"deployments/{id}")).GetProperty("status").GetString());
        Assert.DoesNotContain(id, (await _client.GetJsonAsync("deployments?limit=100")).EnumerateArray().Select(d => d.GetProperty("id").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await _client.Http.DeleteAsync("deployments/nosuchid")).StatusCode);
    }

    [Fact]
    public async Task Another_projects_deployments_are_not_found()
    {
        var created = await _client.DeployShopAsync();
        using var other = new EmulatorClient(emulator);

        await EmulatorClient.AssertErrorAsync(await other.Http.GetAsync($"deployments/{created.GetProperty("id")}"), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Events_since_a_time_replay_only_what_came_after_and_a_bad_since_is_400()
    {
        var created = await _client.DeployShopAsync();
        var id = created.GetProperty("id").GetString()!;
        await _client.WaitForStatusAsync($"deployments/{id}", "running");
        var all = await _client.ReadEventsAsync($"deployments/{id}/events", seconds: 1);
        var cut = all[^1].GetProperty("timestamp").GetString()!;

        var later = await _client.ReadEventsAsync($"deployments/{id}/events?since={Uri.EscapeDataString(cut)}", seconds: 1);
        var recent = await _client.ReadEventsAsync($"deployments/{id}/events?since=5m", seconds: 1);

        Assert.All(later, e => Assert.True(string.CompareOrdinal(e.GetProperty("timestamp").GetString(), cut) >= 0 || e.GetProperty("event").GetString() == "sse_heartbeat"));
        Assert.True(later.Count < all.Count);
        Assert.Equal(all.Count, recent.Count(e => e.GetProperty("event").GetString() != "sse_heartbeat"));
        await EmulatorClient.AssertErrorAsync(await _client.Http.GetAsync($"deployments/{id}/events?since=yesterday"), HttpStatusCode.BadRequest, "bad_request");
    }

    [Fact]
    public async Task A_failed_deployments_stream_ends_at_the_failure()
    {
        using var response = await _client.CreateAsync(EmulatorClient.Zip(("main.py", "print(1)")), ("entrypoint_rel_path", "main.py"));
        var id = (await EmulatorClient.JsonAsync(response)).GetProperty("id").GetString();

        var events = await _client.ReadEventsAsync($"deployments/{id}/events", seconds: 10);

        Assert.Equal("failed", events[^1].GetProperty("deployment").GetProperty("status").GetString());
    }
}
