using System.Net;
using System.Net.Http.Headers;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Emulator;

/// <summary>
/// Project scoping as kernel-api.md §1 describes it: X-Kernel-Project-Id takes an id, X-Kernel-Project an id or
/// exact name; no header is the key's default project; an unknown project is 404; a project-scoped key used for
/// another project is 403.
/// </summary>
public sealed class ProjectScopeTests(ProjectsEmulatorFixture emulator, EmulatorFixture plainEmulator) : IClassFixture<ProjectsEmulatorFixture>, IClassFixture<EmulatorFixture>
{
    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? key = null, HttpContent? content = null, params (string Name, string Value)[] headers)
    {
        using var http = new HttpClient { BaseAddress = emulator.BaseUri };
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key ?? emulator.ApiKeyText);
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        return await http.SendAsync(request);
    }

    private async Task<string> DeployAsync(string? key, params (string Name, string Value)[] headers)
    {
        var form = EmulatorClient.Form(EmulatorClient.Zip(("main.py", EmulatorClient.PythonApp)), ("entrypoint_rel_path", "main.py"));
        using var response = await SendAsync(HttpMethod.Post, "deployments", key, form, headers);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await EmulatorClient.JsonAsync(response)).GetProperty("id").GetString()!;
    }

    private async Task<HttpStatusCode> StatusOfAsync(string id, string? key, params (string Name, string Value)[] headers)
    {
        using var response = await SendAsync(HttpMethod.Get, $"deployments/{id}", key, null, headers);
        return response.StatusCode;
    }

    [Fact]
    public async Task A_project_named_by_id_or_by_name_is_the_same_project_and_no_header_is_another()
    {
        var id = await DeployAsync(null, ("X-Kernel-Project", "staging"));

        Assert.Equal(HttpStatusCode.OK, await StatusOfAsync(id, null, ("X-Kernel-Project-Id", "proj_stg")));
        Assert.Equal(HttpStatusCode.OK, await StatusOfAsync(id, null, ("X-Kernel-Project", "proj_stg")));
        Assert.Equal(HttpStatusCode.OK, await StatusOfAsync(id, null, ("X-Kernel-Project", "staging"), ("X-Kernel-Project-Id", "proj_stg")));
        Assert.Equal(HttpStatusCode.NotFound, await StatusOfAsync(id, null));
        Assert.Equal(HttpStatusCode.NotFound, await StatusOfAsync(id, null, ("X-Kernel-Project", "production")));
    }

    [Theory]
    [InlineData("X-Kernel-Project-Id", "proj_nope")]
    [InlineData("X-Kernel-Project-Id", "staging")] // an id header takes ids only
    [InlineData("X-Kernel-Project", "nope")]
    [InlineData("X-Kernel-Project", "Staging")] // names match exactly
    public async Task A_project_the_emulator_does_not_have_is_404(string header, string value)
    {
        using var response = await SendAsync(HttpMethod.Get, "deployments", null, null, (header, value));

        await EmulatorClient.AssertErrorAsync(response, HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Two_headers_naming_different_projects_are_400()
    {
        using var response = await SendAsync(HttpMethod.Get, "deployments", null, null, ("X-Kernel-Project-Id", "proj_stg"), ("X-Kernel-Project", "production"));

        await EmulatorClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "bad_request");
    }

    [Fact]
    public async Task A_project_scoped_key_acts_in_its_project_without_a_header_and_is_403_for_another()
    {
        var id = await DeployAsync(ProjectsEmulatorFixture.StagingKey);

        Assert.Equal(HttpStatusCode.OK, await StatusOfAsync(id, null, ("X-Kernel-Project-Id", "proj_stg")));
        Assert.Equal(HttpStatusCode.OK, await StatusOfAsync(id, ProjectsEmulatorFixture.StagingKey, ("X-Kernel-Project", "staging")));
        using var other = await SendAsync(HttpMethod.Get, "deployments", ProjectsEmulatorFixture.StagingKey, null, ("X-Kernel-Project", "production"));
        await EmulatorClient.AssertErrorAsync(other, HttpStatusCode.Forbidden, "forbidden");
        Assert.Contains("scoped to project 'proj_stg'", (await EmulatorClient.JsonAsync(other)).GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, await StatusOfAsync(id, ProjectsEmulatorFixture.StagingKey, ("X-Kernel-Project-Id", "proj_bare")));
    }

    [Fact]
    public async Task Without_projects_any_value_of_either_header_is_a_project_known_by_it()
    {
        var project = "any-" + Guid.NewGuid().ToString("N")[..8];
        using var byId = new EmulatorClient(plainEmulator, project);
        var created = await byId.DeployShopAsync();
        using var http = new HttpClient { BaseAddress = plainEmulator.BaseUri };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", plainEmulator.ApiKeyText);
        http.DefaultRequestHeaders.Add("X-Kernel-Project", project);

        using var response = await http.GetAsync($"deployments/{created.GetProperty("id").GetString()}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
