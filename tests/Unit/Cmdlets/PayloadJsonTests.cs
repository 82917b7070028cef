using System.Collections.Specialized;
using System.Management.Automation;
using Kernel.PowerShell.Api;

namespace Kernel.PowerShell.Tests.Cmdlets;

/// <summary>-Payload becomes the JSON text the invocations API wants.</summary>
public class PayloadJsonTests
{
    [Fact]
    public void Hashtables_nested_values_and_arrays_become_json()
    {
        var payload = new OrderedDictionary { ["url"] = "https://example.com", ["tries"] = 2, ["ratio"] = 0.5, ["tags"] = new object[] { "a", true, null! } };

        Assert.Equal("""{"url":"https://example.com","tries":2,"ratio":0.5,"tags":["a",true,null]}""", WireFormat.Current.PayloadJson(payload));
    }

    [Fact]
    public void PSCustomObjects_become_objects_with_their_properties()
    {
        var custom = new PSObject();
        custom.Properties.Add(new PSNoteProperty("name", "shop"));
        custom.Properties.Add(new PSNoteProperty("when", new DateTime(2026, 11, 28, 10, 0, 0, DateTimeKind.Utc)));

        Assert.Equal("""{"name":"shop","when":"2026-11-28T10:00:00.0000000Z"}""", WireFormat.Current.PayloadJson(custom));
    }

    [Fact]
    public void A_json_string_is_sent_as_it_is() =>
        Assert.Equal("""{ "already": "json" }""", WireFormat.Current.PayloadJson("""{ "already": "json" }"""));

    [Fact]
    public void A_string_that_is_not_json_is_refused_with_a_hint() =>
        Assert.Contains("not JSON", Assert.Throws<FormatException>(() => WireFormat.Current.PayloadJson("hello")).Message);

    [Fact]
    public void No_payload_sends_none() => Assert.Null(WireFormat.Current.PayloadJson(null));
}
