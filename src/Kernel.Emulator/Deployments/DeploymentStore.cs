using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Kernel.Emulator.Deployments;

/// <summary>Every deployment the emulator knows, by id.</summary>
public sealed class DeploymentStore
{
    private const string IdAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    private readonly ConcurrentDictionary<string, DeploymentRecord> _byId = new(StringComparer.Ordinal);

    public DeploymentRecord Add(Func<string, DeploymentRecord> create)
    {
        while (true)
        {
            var id = RandomNumberGenerator.GetString(IdAlphabet, 24);
            var record = create(id);
            if (_byId.TryAdd(id, record))
            {
                return record;
            }
        }
    }

    public DeploymentRecord? Find(string id) => _byId.TryGetValue(id, out var record) ? record : null;
}
