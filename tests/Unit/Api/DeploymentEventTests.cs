using Kernel.PowerShell.Api;

namespace Kernel.PowerShell.Tests.Api;

/// <summary>Deployment events as the API sends them (kernel-api.md §5).</summary>
public class DeploymentEventTests
{
    private const string Deployment = """{"id":"d1","created_at":"2026-11-28T10:00:00Z","region":"aws.us-east-1a","status":"failed","status_reason":"boom","entrypoint_rel_path":"main.py","env_vars":{"A":""}}""";

    [Fact]
    public void A_log_event_becomes_a_log_entry_without_its_trailing_newline()
    {
        var e = DeploymentEvent.Parse("d1", """{"event":"log","timestamp":"2026-11-28T10:00:01Z","message":"Building\n"}""");

        var log = Assert.IsType<DeploymentEvent.Log>(e);
        Assert.Equal("Building", log.Entry.Message);
        Assert.Equal("d1", log.Entry.DeploymentId);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 10, 0, 1, TimeSpan.Zero), log.Entry.Timestamp);
    }

    [Fact]
    public void A_state_event_carries_the_whole_deployment()
    {
        var e = DeploymentEvent.Parse("d1", $$"""{"event":"deployment_state","timestamp":"2026-11-28T10:00:01Z","deployment":{{Deployment}}}""");

        var state = Assert.IsType<DeploymentEvent.State>(e);
        Assert.Equal("failed", state.Deployment.Status);
        Assert.Equal("boom", state.Deployment.StatusReason);
        Assert.Equal(["A"], state.Deployment.EnvVars.Keys);
        Assert.True(state.Deployment.IsSettled);
    }

    [Fact]
    public void An_app_version_summary_lists_its_actions()
    {
        var e = DeploymentEvent.Parse("d1", """{"event":"app_version_summary","timestamp":"2026-11-28T10:00:01Z","id":"av1","app_name":"shop","version":"2","region":"aws.us-east-1a","actions":[{"name":"buy"},{"name":"sell","input_schema":null}]}""");

        var summary = Assert.IsType<DeploymentEvent.AppVersionSummary>(e);
        Assert.Equal("shop", summary.AppName);
        Assert.Equal(["buy", "sell"], summary.ActionNames);
    }

    [Fact]
    public void An_error_event_keeps_code_and_message()
    {
        var e = DeploymentEvent.Parse("d1", """{"event":"error","timestamp":"2026-11-28T10:00:01Z","error":{"code":"internal","message":"build crashed"}}""");

        Assert.Equal("internal: build crashed", Assert.IsType<DeploymentEvent.Error>(e).Body.ToString());
    }

    [Fact]
    public void Unknown_event_kinds_are_tolerated() =>
        Assert.Equal("future_thing", Assert.IsType<DeploymentEvent.Unknown>(DeploymentEvent.Parse("d1", """{"event":"future_thing"}""")).Kind);

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"no_event":true}""")]
    [InlineData("[1,2]")]
    public void Malformed_messages_give_one_clear_protocol_error(string data)
    {
        var error = Assert.Throws<KernelProtocolException>(() => DeploymentEvent.Parse("d1", data));

        Assert.DoesNotContain("\n", error.Message);
    }
}
