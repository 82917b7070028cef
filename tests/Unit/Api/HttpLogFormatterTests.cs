using System.Net.Http.Headers;
using Kernel.PowerShell.Api;

namespace Kernel.PowerShell.Tests.Api;

/// <summary>What the Debug stream may show of a request: allow-listed headers and query values only.</summary>
public class HttpLogFormatterTests
{
    [Fact]
    public void The_authorization_header_is_redacted()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.onkernel.com/deployments/d1");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk_secret_value");

        var text = HttpLogFormatter.FormatRequest(request);

        Assert.DoesNotContain("sk_secret_value", text);
        Assert.Contains("Authorization: REDACTED", text);
    }

    [Fact]
    public void Headers_not_on_the_allow_list_are_redacted_and_listed_ones_shown()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.onkernel.com/deployments");
        request.Headers.Add("X-Some-New-Token", "t0ps3cret");
        request.Headers.Add("X-Kernel-Project-Id", "proj_1");

        var text = HttpLogFormatter.FormatRequest(request);

        Assert.Contains("X-Some-New-Token: REDACTED", text);
        Assert.Contains("X-Kernel-Project-Id: proj_1", text);
    }

    [Fact]
    public void Query_values_not_on_the_allow_list_are_redacted() =>
        Assert.Equal(
            "https://api.onkernel.com/deployments?app_name=shop&token=REDACTED",
            HttpLogFormatter.RedactUri(new Uri("https://api.onkernel.com/deployments?app_name=shop&token=abc")));
}
