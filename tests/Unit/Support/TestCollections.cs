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

/// <summary>Tests that count the process's proxy connection pools: one class at a time.</summary>
[CollectionDefinition(Collection)]
public sealed class ConnectionPoolCount
{
    public const string Collection = "Connection pool count";
}
