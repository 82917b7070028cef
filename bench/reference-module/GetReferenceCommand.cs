using System.Management.Automation;

namespace Reference
{
    /// <summary>Get-Reference: one cmdlet, so the module is a real binary module and nothing more.</summary>
    [Cmdlet(VerbsCommon.Get, "Reference")]
    [OutputType(typeof(ReferenceItem))]
    public sealed class GetReferenceCommand : PSCmdlet
    {
        protected override void ProcessRecord() => WriteObject(new ReferenceItem());
    }

    public sealed class ReferenceItem
    {
        public string Name => "reference";
    }
}
