using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Kernel.PowerShell.Packaging
{
    /// <summary>
    /// Files an upload would carry that look like secrets: dotenv files (but the usual examples), keys and
    /// certificates, SSH identities, package-manager credentials, and the .git folder. Kernel's CLI uploads
    /// them without a word; we name them before anything leaves the machine.
    /// </summary>
    internal static class SecretFiles
    {
        private static readonly string[] SafeDotEnv = { ".env.example", ".env.sample", ".env.template", ".env.dist" };
        private static readonly string[] KeyExtensions = { ".pem", ".key", ".p12", ".pfx", ".jks", ".keystore" };
        private static readonly string[] Identities = { "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519" };
        private static readonly string[] CredentialFiles = { ".pypirc", ".netrc", ".git-credentials" };

        /// <summary>What looks secret, in upload order; the .git folder is one entry with its file count.</summary>
        public static IReadOnlyList<string> Find(AppFolder app)
        {
            var found = new List<string>();
            var gitFiles = 0;
            foreach (var file in app.Files)
            {
                if (file.RelativePath.StartsWith(".git/", StringComparison.Ordinal))
                {
                    gitFiles++;
                    continue;
                }

                if (LooksSecret(file))
                {
                    found.Add(file.RelativePath);
                }
            }

            if (gitFiles > 0)
            {
                found.Add($".git/ ({gitFiles} files)");
            }

            return found;
        }

        private static bool LooksSecret(AppFile file)
        {
            var name = Path.GetFileName(file.RelativePath);
            if (name.StartsWith(".env", StringComparison.OrdinalIgnoreCase))
            {
                return !SafeDotEnv.Contains(name, StringComparer.OrdinalIgnoreCase);
            }

            return KeyExtensions.Contains(Path.GetExtension(name), StringComparer.OrdinalIgnoreCase)
                || Identities.Any(identity => name.StartsWith(identity, StringComparison.Ordinal) && !name.EndsWith(".pub", StringComparison.Ordinal))
                || CredentialFiles.Contains(name, StringComparer.Ordinal)
                || (name == ".npmrc" && HoldsToken(file.FullPath));
        }

        private static bool HoldsToken(string path)
        {
            try
            {
                var text = File.ReadAllText(path);
                return text.IndexOf("_authToken", StringComparison.Ordinal) >= 0 || text.IndexOf("_auth=", StringComparison.Ordinal) >= 0 || text.IndexOf("_password", StringComparison.Ordinal) >= 0;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return true;
            }
        }
    }
}
