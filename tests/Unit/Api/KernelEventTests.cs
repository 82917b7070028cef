using Kernel.PowerShell.Api;

namespace Kernel.PowerShell.Tests.Api;

/// <summary>Deployment and invocation events as the API sends them (kernel-api.md §5).</summary>
public class KernelEventTests
{
    private const string Deployment = """{"id":"d1","created_at":"2026-11-28T10:00:00Z","region":"aws.us-east-1a","status":"failed","status_reason":"boom","entrypoint_rel_path":"main.py","env_vars":{"A":""}}""";

    [Fact]
    public void A_log_event_becomes_a_log_entry_without_its_trailing_newline()
    {
        var e = KernelEvent.Parse("d1", """{"event":"log","timestamp":"2026-11-28T10:00:01Z","message":"Building\n"}""");

        var log = Assert.IsType<KernelEvent.Log>(e);
        Assert.Equal("Building", log.Entry.Message);
        Assert.Equal("d1", log.Entry.DeploymentId);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 10, 0, 1, TimeSpan.Zero), log.Entry.Timestamp);
    }

    [Fact]
    public void A_state_event_carries_the_whole_deployment()
    {
        var e = KernelEvent.Parse("d1", $$"""{"event":"deployment_state","timestamp":"2026-11-28T10:00:01Z","deployment":{{Deployment}}}""");

        var state = Assert.IsType<KernelEvent.DeploymentState>(e);
        Assert.Equal("failed", state.Deployment.Status);
        Assert.Equal("boom", state.Deployment.StatusReason);
        Assert.Equal(["A"], state.Deployment.EnvVars.Keys);
        Assert.True(state.Deployment.IsSettled);
    }

    [Fact]
    public void An_app_version_summary_lists_its_actions()
    {
        var e = KernelEvent.Parse("d1", """{"event":"app_version_summary","timestamp":"2026-11-28T10:00:01Z","id":"av1","app_name":"shop","version":"2","region":"aws.us-east-1a","actions":[{"name":"buy"},{"name":"sell","input_schema":null}]}""");

        var summary = Assert.IsType<KernelEvent.AppVersionSummary>(e).App;
        Assert.Equal("shop", summary.AppName);
        Assert.Equal("d1", summary.DeploymentId);
        Assert.Equal(["buy", "sell"], summary.Actions.Select(a => a.Name));
    }

    [Fact]
    public void An_error_event_keeps_code_and_message()
    {
        var e = KernelEvent.Parse("d1", """{"event":"error","timestamp":"2026-11-28T10:00:01Z","error":{"code":"internal","message":"build crashed"}}""");

        Assert.Equal("internal: build crashed", Assert.IsType<KernelEvent.Error>(e).Body.ToString());
    }

    [Fact]
    public void Unknown_event_kinds_are_tolerated() =>
        Assert.Equal("future_thing", Assert.IsType<KernelEvent.Unknown>(KernelEvent.Parse("d1", """{"event":"future_thing"}""")).Kind);

    [Fact]
    public void An_invocation_state_event_carries_the_invocation_with_its_output_as_ConvertFrom_Json_gives_it()
    {
        var e = KernelEvent.Parse("i1", """{"event":"invocation_state","timestamp":"2026-11-28T10:00:01Z","invocation":{"id":"i1","app_name":"shop","version":"1","action_name":"buy","status":"succeeded","output":"{\"ok\":true,\"n\":[1,2],\"customer\":{\"name\":\"Ada\"}}","started_at":"2026-11-28T10:00:00.123456789Z"}}""");

        var invocation = Assert.IsType<KernelEvent.InvocationState>(e).Invocation;
        Assert.True(invocation.IsFinished);
        var output = Assert.IsType<System.Management.Automation.PSObject>(invocation.Output);
        Assert.IsType<System.Management.Automation.PSCustomObject>(output.BaseObject);
        Assert.Equal(["ok", "n", "customer"], output.Properties.Select(p => p.Name));
        Assert.Equal(true, output.Properties["ok"].Value);
        Assert.Equal(new object[] { 1L, 2L }, (object[])output.Properties["n"].Value);
        Assert.Equal("Ada", Assert.IsType<System.Management.Automation.PSObject>(output.Properties["customer"].Value).Properties["name"].Value);
    }

    [Fact]
    public void An_output_whose_keys_differ_only_in_case_keeps_every_key_in_an_ordered_dictionary()
    {
        var e = KernelEvent.Parse("i1", """{"event":"invocation_state","timestamp":"2026-11-28T10:00:01Z","invocation":{"id":"i1","app_name":"shop","version":"1","action_name":"buy","status":"succeeded","output":"{\"id\":1,\"ID\":2}","started_at":"2026-11-28T10:00:00Z"}}""");

        var output = Assert.IsType<System.Collections.Specialized.OrderedDictionary>(Assert.IsType<KernelEvent.InvocationState>(e).Invocation.Output);
        Assert.Equal(1L, output["id"]);
        Assert.Equal(2L, output["ID"]);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"no_event":true}""")]
    [InlineData("[1,2]")]
    public void Malformed_messages_give_one_clear_protocol_error(string data)
    {
        var error = Assert.Throws<KernelProtocolException>(() => KernelEvent.Parse("d1", data));

        Assert.DoesNotContain("\n", error.Message);
    }
}
