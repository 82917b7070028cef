using Kernel.Emulator.Extensions;
using Kernel.Emulator.Pools;

namespace Kernel.Emulator.Store;

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
    public List<ExtensionRecord> Extensions(string project)
    {
        lock (Gate)
        {
            return _extensions.Where(e => e.Project == project).Reverse().ToList();
        }
    }

    public ExtensionRecord? FindExtension(string project, string idOrName)
    {
        lock (Gate)
        {
            return _extensions.FirstOrDefault(e => e.Project == project && e.Id == idOrName)
                ?? _extensions.FirstOrDefault(e => e.Project == project && SameName(e.Name, idOrName));
        }
    }

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
    public List<BrowserPoolRecord> Pools(string project)
    {
        lock (Gate)
        {
            return _pools.Where(p => p.Project == project).Reverse().ToList();
        }
    }

    public BrowserPoolRecord? FindPool(string project, string idOrName)
    {
        lock (Gate)
        {
            return _pools.FirstOrDefault(p => p.Project == project && p.Id == idOrName)
                ?? _pools.FirstOrDefault(p => p.Project == project && SameName(p.Name, idOrName));
        }
    }
}
