using System.Collections;
using System.Management.Automation;
using Kernel.PowerShell.Cmdlets;

namespace Kernel.PowerShell.Tests.Cmdlets;

/// <summary>The line after a deploy: what runs, how long it took, what was sent, and the command that invokes it.</summary>
public sealed class DeploymentSummaryTests
{
    private static KernelDeployment Deployment(Hashtable? app) =>
        new(new Hashtable { ["Id"] = "dep1", ["Status"] = "running", ["App"] = app });

    [Fact]
    public void Names_the_fields_the_first_action_takes_in_a_payload_to_fill_in()
    {
        var schema = new PSObject();
        var properties = new PSObject();
        properties.Properties.Add(new PSNoteProperty("url", null));
        properties.Properties.Add(new PSNoteProperty("wait-for", null));
        schema.Properties.Add(new PSNoteProperty("properties", properties));
        var app = new Hashtable { ["AppName"] = "page title", ["Version"] = "1.0.0", ["Actions"] = new Hashtable { ["Name"] = "get-page-title", ["InputSchema"] = schema } };

        var line = DeploymentSummary.Describe(Deployment(app), TimeSpan.FromSeconds(2.14), "5 files, 2.0 KB");

        Assert.Equal("App page title 1.0.0 deployed in 2.1 s (5 files, 2.0 KB); invoke with: Invoke-KernelAction 'page title' get-page-title -Version 1.0.0 -Payload @{ url = …; 'wait-for' = … }", line);
    }

    [Fact]
    public void Says_when_there_is_nothing_to_invoke_and_leaves_out_what_it_does_not_know()
    {
        Assert.Equal("App shop latest deployed in 1 min 5 s; it has no actions", DeploymentSummary.Describe(Deployment(new Hashtable { ["AppName"] = "shop" }), TimeSpan.FromSeconds(65), null));
        Assert.Equal("Deployment dep1 is running", DeploymentSummary.Describe(Deployment(null), null, null));
    }
}
