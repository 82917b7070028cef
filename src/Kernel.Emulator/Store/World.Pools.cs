using Kernel.Emulator.Extensions;
using Kernel.Emulator.Pools;

namespace Kernel.Emulator.Store;

/// <summary>A record addressed by id or by name within its project (profiles, extensions, pools).</summary>
public interface INamedRecord
{
    string Id { get; }

    string Project { get; }

    string? Name { get; }
}

/// <summary>Extensions and browser pools: found by id or by name, case-insensitively.</summary>
public sealed partial class World
{
    private readonly List<ExtensionRecord> _extensions = [];
    private readonly List<BrowserPoolRecord> _pools = [];

    public void Add(ExtensionRecord extension)
    {
        lock (Gate)
        {
            _extensions.Add(extension);
        }
    }

    public void Remove(ExtensionRecord extension)
    {
        lock (Gate)
        {
            _extensions.Remove(extension);
        }
    }

    /// <summary>Extensions of a project, newest first.</summary>
    public List<ExtensionRecord> Extensions(string project) => NewestFirst(_extensions, project);

    public ExtensionRecord? FindExtension(string project, string idOrName) => FindByIdOrName(_extensions, project, idOrName);

    public void Add(BrowserPoolRecord pool)
    {
        lock (Gate)
        {
            _pools.Add(pool);
        }
    }

    public void Remove(BrowserPoolRecord pool)
    {
        lock (Gate)
        {
            _pools.Remove(pool);
        }
    }

    /// <summary>Browser pools of a project, newest first.</summary>
    public List<BrowserPoolRecord> Pools(string project) => NewestFirst(_pools, project);

    public BrowserPoolRecord? FindPool(string project, string idOrName) => FindByIdOrName(_pools, project, idOrName);

    /// <summary>The records of a project, newest first.</summary>
    private List<T> NewestFirst<T>(List<T> records, string project)
        where T : INamedRecord
    {
        lock (Gate)
        {
            return records.Where(r => r.Project == project).Reverse().ToList();
        }
    }

    /// <summary>A record of the project by id, else by name (without regard to case).</summary>
    private T? FindByIdOrName<T>(List<T> records, string project, string idOrName)
        where T : class, INamedRecord
    {
        lock (Gate)
        {
            return records.FirstOrDefault(r => r.Project == project && r.Id == idOrName)
                ?? records.FirstOrDefault(r => r.Project == project && SameName(r.Name, idOrName));
        }
    }
}
