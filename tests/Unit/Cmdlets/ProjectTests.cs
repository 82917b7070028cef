using System.Management.Automation;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Cmdlets;

/// <summary>
/// Connect-Kernel -Project (an id or a name, sent as X-Kernel-Project) and -ProjectId (an id, sent as
/// X-Kernel-Project-Id), against an emulator with named projects and a key scoped to one of them.
/// </summary>
public sealed class ProjectTests(ProjectsEmulatorFixture emulator) : IClassFixture<ProjectsEmulatorFixture>, IDisposable
{
    private readonly PowerShellSession _shell = new();

    public void Dispose() => _shell.Dispose();

    private ScriptResult Connect(string project, string? key = null) => _shell.Run(
        $"param($uri, $key) Connect-Kernel -BaseUri $uri -ApiKey $key {project} -PassThru",
        ("uri", emulator.BaseUri), ("key", key == null ? emulator.ApiKey : new System.Net.NetworkCredential(string.Empty, key).SecurePassword));

    /// <summary>The project headers of the last request the emulator received on <paramref name="path"/>.</summary>
    private (string? Id, string? IdOrName) LastProjectHeaders(string path)
    {
        var last = (KernelEmulatorRequest)_shell.Run("param($emu, $path) $emu | Get-KernelEmulatorJournal -Path $path | Select-Object -Last 1", ("emu", emulator.Emulator), ("path", path)).ThrowOnError().Output.Single().BaseObject;
        return (last.Headers.GetValueOrDefault("X-Kernel-Project-Id"), last.Headers.GetValueOrDefault("X-Kernel-Project"));
    }

    [Fact]
    public void Project_takes_a_name_or_an_id_and_sends_X_Kernel_Project_while_ProjectId_sends_X_Kernel_Project_Id()
    {
        var byName = Connect("-Project staging").ThrowOnError().Single<KernelSession>();
        var created = _shell.Run("param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py", ("path", RepositoryPaths.Example("page-title"))).ThrowOnError().Single<KernelDeployment>();
        Assert.Equal((null, "staging"), LastProjectHeaders("/deployments"));

        var byId = Connect("-ProjectId proj_stg").ThrowOnError().Single<KernelSession>();
        var seen = _shell.Run("param($id) Get-KernelDeployment -Id $id", ("id", created.Id)).ThrowOnError().Single<KernelDeployment>();
        Assert.Equal(("proj_stg", null), LastProjectHeaders("/deployments/" + created.Id));

        Assert.Equal(created.Id, seen.Id);
        Assert.Equal(("staging", null, "-Project parameter"), (byName.Project, byName.ProjectId, byName.ProjectSource));
        Assert.Equal(("proj_stg", "proj_stg", "-ProjectId parameter"), (byId.Project, byId.ProjectId, byId.ProjectSource));
        Assert.True(byName.IsVerified && byId.IsVerified);
        Connect("-Project production").ThrowOnError();
        Assert.StartsWith("ApiNotFound,", Assert.Single(_shell.Run("param($id) Get-KernelDeployment -Id $id", ("id", created.Id)).Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void Project_and_ProjectId_together_are_refused()
    {
        var error = Assert.Single(Connect("-Project staging -ProjectId proj_stg").Errors);

        Assert.StartsWith("ConflictingParameters,", error.FullyQualifiedErrorId);
        Assert.Contains("-Project and -ProjectId cannot be used together", error.Exception.Message);
    }

    [Theory]
    [InlineData("\u00C9quipe", "'\u00C9'")]
    [InlineData("staging\r\nX-Injected: 1", "a control character")]
    public void A_project_a_header_cannot_carry_is_refused_before_anything_is_sent(string project, string why)
    {
        var error = Assert.Single(_shell.Run("param($uri, $key, $project) Connect-Kernel -BaseUri $uri -ApiKey $key -Project $project", ("uri", emulator.BaseUri), ("key", emulator.ApiKey), ("project", project)).Errors);

        Assert.StartsWith("InvalidProject,", error.FullyQualifiedErrorId);
        Assert.Contains($"from the -Project parameter has a character an HTTP header cannot carry ({why}): name the project by its id", error.Exception.Message);
    }

    [Fact]
    public void A_project_it_does_not_have_fails_the_connection_naming_the_project_and_where_it_came_from()
    {
        var error = Assert.Single(Connect("-Project Staging").Errors);

        Assert.StartsWith("VerifyFailed,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("it does not know project 'Staging' from the -Project parameter", error.Exception.Message);
    }

    [Fact]
    public void A_project_scoped_key_used_for_another_project_is_refused_as_the_projects_fault_not_the_keys()
    {
        var atConnect = Assert.Single(Connect("-Project production", ProjectsEmulatorFixture.StagingKey).Errors);
        Connect("-Project production -SkipVerify", ProjectsEmulatorFixture.StagingKey).ThrowOnError();
        var later = Assert.Single(_shell.Run("Get-KernelDeployment -First 1").Errors);
        var ownProject = Connect(string.Empty, ProjectsEmulatorFixture.StagingKey).ThrowOnError().Single<KernelSession>();

        Assert.StartsWith("VerifyFailed,", atConnect.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.PermissionDenied, atConnect.CategoryInfo.Category);
        Assert.Contains("it refused project 'production' from the -Project parameter with the API key from the -ApiKey parameter", atConnect.Exception.Message);
        Assert.StartsWith("ApiForbidden,", later.FullyQualifiedErrorId);
        Assert.Contains("The session asks for project 'production' (from the -Project parameter). A project-scoped key works only in its own project", later.ErrorDetails.Message);
        Assert.True(ownProject.IsVerified);
    }
}
