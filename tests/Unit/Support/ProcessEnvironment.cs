namespace Kernel.PowerShell.Tests.Support;

/// <summary>
/// Tests that set KERNEL_* variables of this process: they run one class at a time, never beside another that
/// reads them.
/// </summary>
[CollectionDefinition(Collection)]
public sealed class ProcessEnvironment
{
    public const string Collection = "Process environment";
}
