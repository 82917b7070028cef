// The content generator behind bench/New-BenchmarkApps.ps1 (compiled at run time with Add-Type; not part of
// the solution). Everything comes from one 64-bit seed through SplitMix64, never System.Random, so the same
// seed gives the same bytes on every machine and .NET version. Each file has its own generator, derived from
// the case seed and the file's path, so the bytes of one file do not depend on the order files are written in.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;

namespace KernelBench
{
    /// <summary>SplitMix64: tiny, fast, and fully specified (the bytes never depend on the runtime).</summary>
    public sealed class Rng
    {
        private ulong _state;

        public Rng(ulong seed) { _state = seed; }

        public static Rng For(ulong seed, string key)
        {
            // FNV-1a of the key, mixed with the seed: a stable per-file stream.
            ulong h = 14695981039346656037UL;
            foreach (var c in key) { h ^= c; h *= 1099511628211UL; }
            return new Rng(seed ^ h);
        }

        public ulong Next()
        {
            ulong z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        public int Int(int n) => (int)(Next() % (ulong)n);

        public int Range(int min, int max) => min + Int(max - min + 1);

        public double Double() => (Next() >> 11) * (1.0 / (1UL << 53));

        public bool Chance(double p) => Double() < p;

        public T Pick<T>(IReadOnlyList<T> items) => items[Int(items.Count)];

        /// <summary>A standard normal deviate (Box–Muller).</summary>
        public double Normal()
        {
            var u1 = 1.0 - Double();
            var u2 = Double();
            return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        }

        /// <summary>A log-normal size with the given mean, clamped to [min, 8 × mean].</summary>
        public long Size(long mean, long min, double sigma = 0.8)
        {
            var value = mean * Math.Exp(sigma * Normal() - sigma * sigma / 2);
            return Math.Max(min, Math.Min(mean * 8, (long)value));
        }

        public void Fill(byte[] buffer, int count)
        {
            var i = 0;
            for (; i + 8 <= count; i += 8)
            {
                BitConverter.TryWriteBytes(new Span<byte>(buffer, i, 8), Next());
            }

            if (i < count)
            {
                var last = BitConverter.GetBytes(Next());
                Array.Copy(last, 0, buffer, i, count - i);
            }
        }
    }

    /// <summary>Vocabulary for text that compresses like real source code and data (about 3–6× with deflate).</summary>
    internal static class Words
    {
        public static readonly string[] Nouns =
        {
            "account", "address", "agent", "alert", "archive", "asset", "audit", "balance", "batch", "billing", "block",
            "browser", "bucket", "budget", "buffer", "cache", "campaign", "cart", "catalog", "channel", "checkout", "client",
            "cluster", "comment", "config", "contact", "content", "context", "contract", "cookie", "coupon", "credit",
            "customer", "dashboard", "dataset", "deadline", "device", "discount", "document", "domain", "draft", "event",
            "export", "feature", "feed", "filter", "folder", "form", "gateway", "graph", "group", "header", "history",
            "image", "import", "inbox", "index", "invoice", "item", "job", "label", "layout", "ledger", "license", "link",
            "listing", "locale", "lookup", "mailbox", "manifest", "market", "member", "message", "metric", "model",
            "module", "monitor", "network", "node", "note", "notice", "offer", "order", "owner", "package", "page",
            "panel", "partner", "payload", "payment", "payout", "period", "permission", "pipeline", "plan", "policy",
            "portal", "preview", "price", "product", "profile", "project", "prompt", "queue", "quota", "rate", "receipt",
            "record", "refund", "region", "release", "report", "request", "resource", "result", "review", "role", "route",
            "rule", "schedule", "schema", "scope", "screen", "search", "segment", "sequence", "server", "service",
            "session", "setting", "shipment", "signal", "snapshot", "source", "stage", "status", "storage", "store",
            "stream", "subscription", "summary", "supplier", "task", "team", "template", "tenant", "thread", "ticket",
            "token", "topic", "trace", "transfer", "trigger", "upload", "usage", "user", "vendor", "version", "view",
            "visit", "wallet", "warehouse", "webhook", "widget", "window", "workflow", "workspace", "zone",
        };

        public static readonly string[] Verbs =
        {
            "apply", "build", "cancel", "check", "clean", "close", "collect", "compute", "create", "decode", "delete",
            "deliver", "detect", "encode", "enqueue", "ensure", "export", "extract", "fetch", "filter", "find", "flush",
            "format", "get", "handle", "import", "load", "lookup", "merge", "normalize", "notify", "open", "parse",
            "persist", "prepare", "process", "publish", "read", "refresh", "register", "reload", "remove", "render",
            "replace", "reset", "resolve", "restore", "retry", "save", "schedule", "send", "serialize", "set", "sort",
            "split", "start", "stop", "sync", "track", "transform", "update", "upload", "validate", "verify", "write",
        };

        public static readonly string[] Adjectives =
        {
            "active", "current", "default", "draft", "empty", "expired", "external", "failed", "final", "first", "global",
            "hidden", "initial", "internal", "last", "latest", "local", "main", "missing", "new", "next", "old", "open",
            "pending", "primary", "private", "public", "raw", "recent", "remote", "shared", "stale", "total", "unique",
            "valid", "visible",
        };

        public static readonly string[] Prose =
        {
            "the", "a", "of", "to", "and", "in", "is", "for", "that", "when", "with", "this", "it", "not", "be", "are",
            "from", "or", "by", "on", "each", "if", "returns", "value", "list", "call", "state", "data", "new", "used",
            "only", "before", "after", "until", "which", "once", "all", "any", "then", "so", "can", "must", "should",
        };

        public static readonly string[] PyTypes = { "int", "str", "bool", "float", "dict[str, Any]", "list[str]", "Optional[str]", "bytes", "None" };
        public static readonly string[] TsTypes = { "string", "number", "boolean", "string[]", "Record<string, unknown>", "Date", "unknown", "void", "Promise<void>" };
        public static readonly string[] Tags = { "div", "span", "section", "button", "ul", "li", "p", "header", "footer", "label", "input", "form" };
        public static readonly string[] Css = { "flex", "grid", "row", "col", "gap-2", "p-4", "mt-2", "text-sm", "font-bold", "rounded", "shadow", "border", "hidden", "w-full", "items-center" };
        public static readonly string[] JsKeywords = { "return", "var", "function", "if", "else", "new", "typeof", "void", "this", "null", "for", "while", "throw", "instanceof" };
        public static readonly string[] Categories = { "retail", "travel", "health", "finance", "media", "education", "gaming", "logistics", "energy", "public" };
        public static readonly string[] Countries = { "US", "DE", "FR", "GB", "JP", "BR", "IN", "CA", "AU", "ES", "IT", "NL", "SE", "MX", "KR" };
    }

    /// <summary>Writes one kind of content, unit by unit, until the target size is reached.</summary>
    internal static class Text
    {
        public static string Snake(Rng r) => r.Pick(Words.Verbs) + "_" + r.Pick(Words.Nouns);
        public static string Camel(Rng r) => r.Pick(Words.Verbs) + Pascal(r.Pick(Words.Nouns));
        public static string Pascal(string w) => char.ToUpperInvariant(w[0]) + w.Substring(1);
        public static string PascalPair(Rng r) => Pascal(r.Pick(Words.Adjectives)) + Pascal(r.Pick(Words.Nouns));

        public static void Sentence(Rng r, StringBuilder sb, int words)
        {
            for (var i = 0; i < words; i++)
            {
                if (i > 0) sb.Append(' ');
                var w = r.Chance(0.55) ? r.Pick(Words.Prose) : r.Chance(0.5) ? r.Pick(Words.Nouns) : r.Pick(Words.Verbs);
                sb.Append(i == 0 ? Pascal(w) : w);
            }

            sb.Append('.');
        }

        public static void Hex(Rng r, StringBuilder sb, int digits)
        {
            const string alphabet = "0123456789abcdef";
            for (var i = 0; i < digits; i++) sb.Append(alphabet[r.Int(16)]);
        }

        public static void Uuid(Rng r, StringBuilder sb)
        {
            Hex(r, sb, 8); sb.Append('-'); Hex(r, sb, 4); sb.Append('-'); Hex(r, sb, 4); sb.Append('-'); Hex(r, sb, 4); sb.Append('-'); Hex(r, sb, 12);
        }

        public static void Timestamp(Rng r, StringBuilder sb)
        {
            var t = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(r.Int(60 * 60 * 24 * 365));
            sb.Append(t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        }

        // ---- Python ----
        public static void PythonHeader(Rng r, StringBuilder sb)
        {
            sb.Append("\"\"\"");
            Sentence(r, sb, r.Range(6, 14));
            sb.Append("\n\"\"\"\n\nfrom __future__ import annotations\n\nimport logging\nfrom dataclasses import dataclass, field\nfrom typing import Any, Optional\n\n");
            for (var i = r.Range(1, 4); i > 0; i--)
            {
                sb.Append("from .").Append(r.Pick(Words.Nouns)).Append(" import ").Append(Snake(r)).Append(", ").Append(PascalPair(r)).Append('\n');
            }

            sb.Append("\nlog = logging.getLogger(__name__)\n").Append(r.Pick(Words.Adjectives).ToUpperInvariant()).Append("_LIMIT = ").Append(r.Range(10, 5000)).Append("\n\n");
        }

        public static void PythonUnit(Rng r, StringBuilder sb)
        {
            if (r.Chance(0.3))
            {
                var cls = PascalPair(r);
                sb.Append("\n@dataclass\nclass ").Append(cls).Append(":\n    \"\"\"");
                Sentence(r, sb, r.Range(5, 12));
                sb.Append("\"\"\"\n\n");
                for (var i = r.Range(2, 7); i > 0; i--)
                {
                    sb.Append("    ").Append(r.Pick(Words.Adjectives)).Append('_').Append(r.Pick(Words.Nouns)).Append(": ").Append(r.Pick(Words.PyTypes)).Append(" = ");
                    sb.Append(r.Chance(0.5) ? r.Range(0, 100).ToString() : "None").Append('\n');
                }

                sb.Append('\n');
                for (var i = r.Range(1, 3); i > 0; i--)
                {
                    sb.Append("    def ").Append(Snake(r)).Append("(self, ").Append(r.Pick(Words.Nouns)).Append(": ").Append(r.Pick(Words.PyTypes)).Append(") -> ").Append(r.Pick(Words.PyTypes)).Append(":\n");
                    PythonBody(r, sb, "        ");
                }

                return;
            }

            var name = Snake(r);
            var arg = r.Pick(Words.Nouns);
            sb.Append("\n\ndef ").Append(name).Append('(').Append(arg).Append(": ").Append(r.Pick(Words.PyTypes)).Append(", *, ").Append(r.Pick(Words.Adjectives)).Append(": bool = False) -> ").Append(r.Pick(Words.PyTypes)).Append(":\n    \"\"\"");
            Sentence(r, sb, r.Range(6, 16));
            sb.Append("\"\"\"\n");
            PythonBody(r, sb, "    ");
        }

        private static void PythonBody(Rng r, StringBuilder sb, string indent)
        {
            var v = r.Pick(Words.Adjectives) + "_" + r.Pick(Words.Nouns);
            sb.Append(indent).Append(v).Append(" = ").Append(Snake(r)).Append('(').Append(r.Pick(Words.Nouns)).Append(", limit=").Append(r.Range(1, 500)).Append(")\n");
            for (var i = r.Range(1, 4); i > 0; i--)
            {
                switch (r.Int(4))
                {
                    case 0:
                        sb.Append(indent).Append("if ").Append(v).Append(" is None or len(").Append(v).Append(") > ").Append(r.Range(1, 999)).Append(":\n");
                        sb.Append(indent).Append("    log.warning(\"").Append(Snake(r)).Append(": %s ").Append(r.Pick(Words.Adjectives)).Append("\", ").Append(v).Append(")\n");
                        sb.Append(indent).Append("    return ").Append(r.Chance(0.5) ? "None" : r.Range(0, 9).ToString()).Append('\n');
                        break;
                    case 1:
                        sb.Append(indent).Append("for ").Append(r.Pick(Words.Nouns)).Append(" in ").Append(v).Append(":\n");
                        sb.Append(indent).Append("    ").Append(Snake(r)).Append('(').Append(r.Pick(Words.Nouns)).Append('.').Append(r.Pick(Words.Nouns)).Append("_id, ").Append(r.Pick(Words.Adjectives)).Append("=True)\n");
                        break;
                    case 2:
                        sb.Append(indent).Append("try:\n").Append(indent).Append("    ").Append(v).Append(" = ").Append(v).Append('.').Append(Snake(r)).Append("()\n");
                        sb.Append(indent).Append("except (KeyError, ValueError) as error:\n").Append(indent).Append("    raise RuntimeError(f\"").Append(r.Pick(Words.Verbs)).Append(" failed: {error}\") from error\n");
                        break;
                    default:
                        sb.Append(indent).Append(r.Pick(Words.Nouns)).Append("_map = {\"").Append(r.Pick(Words.Nouns)).Append("\": ").Append(r.Range(0, 99999)).Append(", \"").Append(r.Pick(Words.Nouns)).Append("\": \"").Append(r.Pick(Words.Adjectives)).Append("\"}\n");
                        break;
                }
            }

            sb.Append(indent).Append("return ").Append(v).Append('\n');
        }

        public static void PythonTestUnit(Rng r, StringBuilder sb)
        {
            sb.Append("\n\ndef test_").Append(Snake(r)).Append('_').Append(r.Pick(Words.Adjectives)).Append("(").Append(r.Pick(Words.Nouns)).Append("_factory):\n");
            sb.Append("    subject = ").Append(r.Pick(Words.Nouns)).Append("_factory(").Append(r.Pick(Words.Adjectives)).Append("=").Append(r.Range(0, 50)).Append(")\n");
            sb.Append("    result = ").Append(Snake(r)).Append("(subject)\n");
            sb.Append("    assert result.").Append(r.Pick(Words.Nouns)).Append(" == ").Append(r.Range(0, 1000)).Append('\n');
            sb.Append("    assert result.").Append(r.Pick(Words.Adjectives)).Append(" is ").Append(r.Chance(0.5) ? "True" : "None").Append('\n');
        }

        // ---- TypeScript ----
        public static void TsHeader(Rng r, StringBuilder sb, bool jsx)
        {
            if (jsx) sb.Append("import React, { useEffect, useMemo, useState } from 'react';\n");
            for (var i = r.Range(1, 5); i > 0; i--)
            {
                sb.Append("import { ").Append(Camel(r)).Append(", ").Append(PascalPair(r)).Append(" } from '../").Append(r.Pick(Words.Nouns)).Append('/').Append(r.Pick(Words.Nouns)).Append("';\n");
            }

            sb.Append('\n');
        }

        public static void TsUnit(Rng r, StringBuilder sb, bool jsx)
        {
            var type = PascalPair(r);
            switch (r.Int(jsx ? 3 : 2))
            {
                case 0:
                    sb.Append("export interface ").Append(type).Append(" {\n");
                    for (var i = r.Range(2, 8); i > 0; i--)
                    {
                        sb.Append("  ").Append(r.Pick(Words.Nouns)).Append(Pascal(r.Pick(Words.Nouns))).Append(r.Chance(0.3) ? "?" : string.Empty).Append(": ").Append(r.Pick(Words.TsTypes)).Append(";\n");
                    }

                    sb.Append("}\n\n");
                    break;
                case 1:
                    sb.Append("/** ");
                    Sentence(r, sb, r.Range(5, 12));
                    sb.Append(" */\nexport async function ").Append(Camel(r)).Append('(').Append(r.Pick(Words.Nouns)).Append(": ").Append(type).Append(", options: { ").Append(r.Pick(Words.Adjectives)).Append("?: boolean } = {}): Promise<").Append(r.Pick(Words.TsTypes)).Append("> {\n");
                    sb.Append("  const ").Append(r.Pick(Words.Nouns)).Append("s = await ").Append(Camel(r)).Append("(`/api/").Append(r.Pick(Words.Nouns)).Append("/${").Append(r.Pick(Words.Nouns)).Append(".id}`);\n");
                    sb.Append("  if (!options.").Append(r.Pick(Words.Adjectives)).Append(" && ").Append(r.Pick(Words.Nouns)).Append("s.length > ").Append(r.Range(1, 500)).Append(") {\n    throw new Error('").Append(r.Pick(Words.Verbs)).Append(" ").Append(r.Pick(Words.Nouns)).Append(" failed');\n  }\n");
                    sb.Append("  return ").Append(r.Pick(Words.Nouns)).Append("s.map((item) => item.").Append(r.Pick(Words.Nouns)).Append(").filter(Boolean) as never;\n}\n\n");
                    break;
                default:
                    sb.Append("export const ").Append(type).Append("View = ({ ").Append(r.Pick(Words.Nouns)).Append(", on").Append(Pascal(r.Pick(Words.Verbs))).Append(" }: ").Append(type).Append("Props) => {\n");
                    sb.Append("  const [").Append(r.Pick(Words.Adjectives)).Append(", set").Append(Pascal(r.Pick(Words.Adjectives))).Append("] = useState<").Append(r.Pick(Words.TsTypes)).Append(">(null as never);\n");
                    sb.Append("  return (\n    <").Append(r.Pick(Words.Tags)).Append(" className=\"").Append(r.Pick(Words.Css)).Append(' ').Append(r.Pick(Words.Css)).Append("\">\n");
                    for (var i = r.Range(1, 4); i > 0; i--)
                    {
                        var tag = r.Pick(Words.Tags);
                        sb.Append("      <").Append(tag).Append(" className=\"").Append(r.Pick(Words.Css)).Append("\">{").Append(r.Pick(Words.Nouns)).Append('.').Append(r.Pick(Words.Nouns)).Append("}</").Append(tag).Append(">\n");
                    }

                    sb.Append("    </div>\n  );\n};\n\n");
                    break;
            }
        }

        // ---- Minified JavaScript ----
        private static readonly string Ident = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$";

        private static void Id(Rng r, StringBuilder sb)
        {
            sb.Append(Ident[r.Int(Ident.Length)]);
            if (r.Chance(0.35)) sb.Append(Ident[r.Int(Ident.Length)]);
        }

        public static void MinifiedUnit(Rng r, StringBuilder sb)
        {
            switch (r.Int(6))
            {
                case 0:
                    sb.Append("function "); Id(r, sb); sb.Append('('); Id(r, sb); sb.Append(','); Id(r, sb); sb.Append("){");
                    break;
                case 1:
                    sb.Append("var "); Id(r, sb); sb.Append('='); Id(r, sb); sb.Append('.').Append(r.Pick(Words.Nouns)).Append("||{},"); Id(r, sb); sb.Append('=').Append(r.Range(0, 9999)).Append(';');
                    break;
                case 2:
                    sb.Append("return "); Id(r, sb); sb.Append("&&"); Id(r, sb); sb.Append('.').Append(Camel(r)).Append('?'); Id(r, sb); sb.Append(":{default:"); Id(r, sb); sb.Append("}}");
                    break;
                case 3:
                    Id(r, sb); sb.Append(".").Append(Camel(r)).Append("(\"").Append(r.Pick(Words.Nouns)).Append('-').Append(r.Pick(Words.Adjectives)).Append("\","); Id(r, sb); sb.Append(");");
                    break;
                case 4:
                    sb.Append(r.Pick(Words.JsKeywords)).Append(' '); Id(r, sb); sb.Append("[").Append(r.Range(0, 255)).Append("]=0x"); Hex(r, sb, r.Range(2, 6)); sb.Append(',');
                    break;
                default:
                    sb.Append("},"); Id(r, sb); sb.Append("=function(){return "); Id(r, sb); sb.Append('.').Append(r.Pick(Words.Nouns)).Append("}}");
                    break;
            }

            if (r.Chance(0.002)) sb.Append('\n');
        }

        private const string Base64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

        public static void SourceMapUnit(Rng r, StringBuilder sb)
        {
            for (var i = r.Range(2, 6); i > 0; i--)
            {
                for (var j = r.Range(4, 7); j > 0; j--) sb.Append(Base64[r.Chance(0.6) ? r.Int(12) : r.Int(64)]);
                sb.Append(r.Chance(0.9) ? ',' : ';');
            }
        }

        // ---- Data ----
        public static void JsonRecord(Rng r, StringBuilder sb, bool pretty)
        {
            var nl = pretty ? "\n    " : string.Empty;
            var sp = pretty ? " " : string.Empty;
            sb.Append('{').Append(nl).Append("\"id\":").Append(sp).Append('"'); Uuid(r, sb); sb.Append("\",").Append(nl);
            sb.Append("\"type\":").Append(sp).Append('"').Append(r.Pick(Words.Nouns)).Append("\",").Append(nl);
            sb.Append("\"name\":").Append(sp).Append('"').Append(Pascal(r.Pick(Words.Adjectives))).Append(' ').Append(r.Pick(Words.Nouns)).Append("\",").Append(nl);
            sb.Append("\"created_at\":").Append(sp).Append('"'); Timestamp(r, sb); sb.Append("\",").Append(nl);
            sb.Append("\"score\":").Append(sp).Append((r.Range(0, 99999) / 100.0).ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(',').Append(nl);
            sb.Append("\"country\":").Append(sp).Append('"').Append(r.Pick(Words.Countries)).Append("\",").Append(nl);
            sb.Append("\"active\":").Append(sp).Append(r.Chance(0.7) ? "true" : "false").Append(',').Append(nl);
            sb.Append("\"tags\":").Append(sp).Append("[\"").Append(r.Pick(Words.Categories)).Append("\",").Append(sp).Append('"').Append(r.Pick(Words.Adjectives)).Append("\"]");
            sb.Append(pretty ? "\n  }" : "}");
        }

        public static void CsvRow(Rng r, StringBuilder sb)
        {
            Uuid(r, sb); sb.Append(',');
            Timestamp(r, sb); sb.Append(',');
            sb.Append(r.Pick(Words.Nouns)).Append('_').Append(r.Range(1, 99999)).Append(',');
            sb.Append(r.Pick(Words.Categories)).Append(',');
            sb.Append((r.Range(0, 10000000) / 100.0).ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(',');
            sb.Append((r.Range(-90000000, 90000000) / 1000000.0).ToString("F6", System.Globalization.CultureInfo.InvariantCulture)).Append(',');
            sb.Append((r.Range(-180000000, 180000000) / 1000000.0).ToString("F6", System.Globalization.CultureInfo.InvariantCulture)).Append(',');
            sb.Append(r.Pick(Words.Countries)).Append(',');
            Sentence(r, sb, r.Range(2, 7));
            sb.Append('\n');
        }

        public static void MarkdownUnit(Rng r, StringBuilder sb)
        {
            sb.Append("\n## ").Append(Pascal(r.Pick(Words.Verbs))).Append(' ').Append(r.Pick(Words.Nouns)).Append("s\n\n");
            for (var i = r.Range(1, 4); i > 0; i--)
            {
                Sentence(r, sb, r.Range(8, 20)); sb.Append(' '); Sentence(r, sb, r.Range(6, 16)); sb.Append("\n\n");
            }

            if (r.Chance(0.4))
            {
                sb.Append("```python\nresult = ").Append(Snake(r)).Append("(").Append(r.Pick(Words.Nouns)).Append(", limit=").Append(r.Range(1, 100)).Append(")\n```\n");
            }
        }
    }

    /// <summary>One file of a generated app.</summary>
    public sealed class FileSpec
    {
        public FileSpec(string path, string kind, long size, string literal = null)
        {
            Path = path;
            Kind = kind;
            Size = size;
            Literal = literal;
        }

        /// <summary>'/'-separated, relative to the app folder.</summary>
        public string Path { get; }

        public string Kind { get; }

        public long Size { get; }

        public string Literal { get; }
    }

    /// <summary>What a case consists of: its files, and the paths its ignore files exclude (topmost only).</summary>
    public sealed class AppPlan
    {
        public AppPlan(string name, string entrypoint)
        {
            Name = name;
            Entrypoint = entrypoint;
        }

        public string Name { get; }

        public string Entrypoint { get; }

        public List<FileSpec> Files { get; } = new List<FileSpec>();

        /// <summary>Topmost ignored paths ('/'-separated); a trailing '/' marks a folder.</summary>
        public List<string> Ignored { get; } = new List<string>();

        public void Add(string path, string kind, long size) => Files.Add(new FileSpec(path, kind, size));

        public void Literal(string path, string text) => Files.Add(new FileSpec(path, "literal", Encoding.UTF8.GetByteCount(text), text));

        public bool IsIgnored(string path) =>
            Ignored.Any(i => i.EndsWith("/", StringComparison.Ordinal) ? path.StartsWith(i, StringComparison.Ordinal) : path == i);
    }

    /// <summary>A generated case, as recorded in its marker file.</summary>
    public sealed class GeneratedApp
    {
        public string Case { get; set; }
        public int Files { get; set; }
        public long Bytes { get; set; }
        public int UploadFiles { get; set; }
        public long UploadBytes { get; set; }
        public string Digest { get; set; }
        public string Entrypoint { get; set; }
        public string[] Ignored { get; set; }
    }

    public static class Generator
    {
        /// <summary>Every file gets this modification time, so archives of the folders are reproducible too.</summary>
        public static readonly DateTime FixedTime = new DateTime(2024, 6, 1, 12, 0, 0, DateTimeKind.Utc);

        public static AppPlan Plan(string caseName, ulong seed)
        {
            var r = Rng.For(seed, "plan:" + caseName);
            switch (caseName)
            {
                case "small": return Small(r);
                case "medium": return Medium(r);
                case "large": return Large(r);
                default: throw new ArgumentException("Unknown case " + caseName);
            }
        }

        private static string MainPy(string app) =>
            "\"\"\"Benchmark app '" + app + "': generated by bench/New-BenchmarkApps.ps1.\"\"\"\n\n" +
            "import kernel\nfrom kernel import Kernel\n\nclient = Kernel()\n\napp = kernel.App(\"" + app + "\")\n\n\n" +
            "@app.action(\"run\")\nasync def run(ctx: kernel.KernelContext, payload: dict) -> dict:\n    return {\"ok\": True, \"app\": \"" + app + "\"}\n";

        private const string Requirements = "kernel>=0.8\nplaywright==1.48.0\nhttpx==0.27.2\npydantic==2.9.2\nfastapi==0.115.0\nuvicorn==0.31.0\n";

        private const string RootGitignore =
            "# Dependencies\nnode_modules/\n\n# Python\n__pycache__/\n*.py[cod]\n.venv/\n.pytest_cache/\n\n# Logs\n*.log\nlogs/\n\n" +
            "# Local environment\n.env\n.env.local\n\n# Build output\n/build/\n*.tsbuildinfo\n";

        private const string EnvExample = "# Copy to .env and fill in.\nAPI_BASE_URL=https://example.invalid\nLOG_LEVEL=info\nFEATURE_FLAGS=\n";
        private const string EditorConfig = "root = true\n\n[*]\nindent_style = space\nindent_size = 4\nend_of_line = lf\ninsert_final_newline = true\n\n[*.{ts,tsx,json,yml}]\nindent_size = 2\n";
        private const string Prettier = "{\n  \"singleQuote\": true,\n  \"trailingComma\": \"all\",\n  \"printWidth\": 120\n}\n";
        private const string Eslint = "{\n  \"root\": true,\n  \"parser\": \"@typescript-eslint/parser\",\n  \"extends\": [\"eslint:recommended\", \"plugin:react/recommended\"],\n  \"rules\": { \"no-console\": \"warn\" }\n}\n";
        private const string CiYaml = "name: ci\non: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/setup-python@v5\n        with:\n          python-version: '3.12'\n      - run: pip install -r requirements.txt\n      - run: pytest -q\n";

        private static void NodeModules(Rng r, AppPlan plan, string root, int packages)
        {
            plan.Ignored.Add(root + "/");
            for (var p = 0; p < packages; p++)
            {
                var name = (r.Chance(0.2) ? "@" + r.Pick(Words.Nouns) + "/" : string.Empty) + r.Pick(Words.Nouns) + "-" + r.Pick(Words.Verbs) + (p % 7 == 0 ? "-" + p : string.Empty);
                NodePackage(r, plan, root + "/" + name, depth: 0);
            }
        }

        private static void NodePackage(Rng r, AppPlan plan, string dir, int depth)
        {
            if (plan.Files.Any(f => f.Path.StartsWith(dir + "/", StringComparison.Ordinal)))
            {
                return;
            }

            plan.Literal(dir + "/package.json", "{\n  \"name\": \"" + dir.Substring(dir.LastIndexOf("node_modules/", StringComparison.Ordinal) + 13) + "\",\n  \"version\": \"" + r.Range(0, 9) + "." + r.Range(0, 30) + "." + r.Range(0, 20) + "\",\n  \"main\": \"index.js\",\n  \"license\": \"MIT\"\n}\n");
            plan.Add(dir + "/README.md", "md", r.Size(4000, 300));
            plan.Add(dir + "/index.js", "js", r.Size(6000, 200));
            plan.Literal(dir + "/LICENSE", "MIT License\n\nPermission is hereby granted, free of charge, to any person obtaining a copy of this software.\n");
            var lib = r.Range(2, depth == 0 ? 10 : 4);
            for (var i = 0; i < lib; i++)
            {
                plan.Add(dir + "/lib/" + Text.Camel(r) + (i % 3 == 2 ? ".d.ts" : ".js"), i % 3 == 2 ? "ts" : "js", r.Size(9000, 300));
            }

            if (depth == 0 && r.Chance(0.25))
            {
                for (var i = r.Range(1, 3); i > 0; i--)
                {
                    NodePackage(r, plan, dir + "/node_modules/" + r.Pick(Words.Nouns) + "-" + r.Pick(Words.Adjectives), depth + 1);
                }
            }
        }

        private static string UniqueName(Rng r, HashSet<string> taken, Func<Rng, string> make)
        {
            for (var attempt = 0; ; attempt++)
            {
                var name = make(r) + (attempt < 20 ? string.Empty : "_" + attempt);
                if (taken.Add(name)) return name;
            }
        }

        private static List<string> Distinct(Rng r, string[] words, int count)
        {
            var shuffled = words.ToArray();
            for (var i = shuffled.Length - 1; i > 0; i--)
            {
                var j = r.Int(i + 1);
                (shuffled[i], shuffled[j]) = (shuffled[j], shuffled[i]);
            }

            return shuffled.Take(count).ToList();
        }

        private static AppPlan Small(Rng r)
        {
            var plan = new AppPlan("small", "main.py");
            plan.Literal("main.py", MainPy("bench-small"));
            plan.Literal("requirements.txt", Requirements);
            plan.Literal(".gitignore", RootGitignore);
            plan.Literal(".env.example", EnvExample);
            plan.Literal(".editorconfig", EditorConfig);
            plan.Add("README.md", "md", 6000);
            var taken = new HashSet<string>();
            plan.Literal("src/app/__init__.py", "");
            for (var i = 0; i < 20; i++) plan.Add("src/app/" + UniqueName(r, taken, Text.Snake) + ".py", "py", r.Size(12000, 800, 0.6));
            for (var i = 0; i < 10; i++) plan.Add("tests/test_" + UniqueName(r, taken, Text.Snake) + ".py", "pytest", r.Size(5000, 500, 0.6));
            for (var i = 0; i < 6; i++) plan.Add("web/src/" + UniqueName(r, taken, Text.Camel) + (i % 2 == 0 ? ".tsx" : ".ts"), i % 2 == 0 ? "tsx" : "ts", r.Size(9000, 600, 0.6));
            plan.Literal("web/package.json", "{\n  \"name\": \"bench-small-web\",\n  \"private\": true,\n  \"dependencies\": { \"react\": \"^18.3.1\" }\n}\n");
            plan.Add("static/app.min.js", "minjs", 400_000);
            plan.Add("static/logo.png", "png", 60_000);
            plan.Add("static/inter.woff2", "woff2", 40_000);
            for (var i = 0; i < 3; i++) plan.Add("data/" + UniqueName(r, taken, Text.Snake) + ".json", "json", r.Size(40000, 4000, 0.5));
            NodeModules(r, plan, "web/node_modules", 2);
            plan.Ignored.Add("src/app/__pycache__/");
            for (var i = 0; i < 3; i++) plan.Add("src/app/__pycache__/m" + i + ".cpython-312.pyc", "pyc", 3000);
            plan.Add("debug.log", "md", 20_000);
            plan.Ignored.Add("debug.log");
            return plan;
        }

        private static AppPlan Medium(Rng r)
        {
            var plan = new AppPlan("medium", "main.py");
            plan.Literal("main.py", MainPy("bench-medium"));
            plan.Literal("requirements.txt", Requirements);
            plan.Literal("pyproject.toml", "[project]\nname = \"bench-medium\"\nversion = \"1.0.0\"\nrequires-python = \">=3.11\"\n\n[tool.pytest.ini_options]\ntestpaths = [\"tests\"]\n");
            plan.Literal("package.json", "{\n  \"name\": \"bench-medium\",\n  \"private\": true,\n  \"workspaces\": [\"frontend\"]\n}\n");
            plan.Add("package-lock.json", "json", 900_000);
            plan.Add("README.md", "md", 14_000);
            plan.Literal("tsconfig.json", "{\n  \"compilerOptions\": { \"strict\": true, \"jsx\": \"react-jsx\", \"target\": \"ES2022\" }\n}\n");
            plan.Literal(".gitignore", RootGitignore);
            plan.Literal(".env.example", EnvExample);
            plan.Literal(".editorconfig", EditorConfig);
            plan.Literal(".prettierrc", Prettier);
            plan.Literal(".eslintrc.json", Eslint);
            plan.Literal(".dockerignore", "node_modules\n.git\n");
            plan.Literal(".github/workflows/ci.yml", CiYaml);
            plan.Literal(".github/workflows/deploy.yml", CiYaml.Replace("name: ci", "name: deploy"));
            plan.Literal(".github/CODEOWNERS", "* @bench/owners\n");
            plan.Literal("Dockerfile", "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"main.py\"]\n");

            // Backend: 30 packages × 9 subpackages × (__init__ + 9 modules) = 2,700 Python files; __pycache__ in a few.
            var packages = Distinct(r, Words.Nouns, 30);
            foreach (var pkg in packages)
            {
                var subs = Distinct(r, Words.Nouns, 9);
                foreach (var sub in subs)
                {
                    var dir = "backend/app/" + pkg + "/" + sub;
                    var taken = new HashSet<string>();
                    plan.Literal(dir + "/__init__.py", "\"\"\"The " + sub + " part of " + pkg + ".\"\"\"\n");
                    for (var i = 0; i < 9; i++) plan.Add(dir + "/" + UniqueName(r, taken, Text.Snake) + ".py", "py", r.Size(7000, 400));
                    if (packages.IndexOf(pkg) < 12)
                    {
                        plan.Ignored.Add(dir + "/__pycache__/");
                        foreach (var module in taken.Take(3)) plan.Add(dir + "/__pycache__/" + module + ".cpython-312.pyc", "pyc", r.Size(8000, 500));
                    }
                }
            }

            plan.Literal("backend/app/__init__.py", "");
            plan.Literal("backend/.keep", "");

            // Tests: 30 folders × 30 files.
            foreach (var pkg in packages)
            {
                var taken = new HashSet<string>();
                for (var i = 0; i < 30; i++) plan.Add("tests/" + pkg + "/test_" + UniqueName(r, taken, Text.Snake) + ".py", "pytest", r.Size(5000, 400));
            }

            // Frontend: 2,800 TypeScript files, a nested .gitignore and dot-files, and node_modules.
            plan.Literal("frontend/package.json", "{\n  \"name\": \"bench-frontend\",\n  \"private\": true,\n  \"dependencies\": { \"react\": \"^18.3.1\", \"react-dom\": \"^18.3.1\" }\n}\n");
            plan.Literal("frontend/.gitignore", "/coverage/\n*.tsbuildinfo\n");
            plan.Literal("frontend/.eslintrc.json", Eslint);
            plan.Literal("frontend/tsconfig.json", "{ \"extends\": \"../tsconfig.json\" }\n");
            foreach (var feature in Distinct(r, Words.Nouns, 40))
            {
                var taken = new HashSet<string>();
                plan.Literal("frontend/src/components/" + feature + "/index.ts", "export * from './" + feature + "';\n");
                for (var i = 0; i < 49; i++)
                {
                    var jsx = i % 2 == 0;
                    plan.Add("frontend/src/components/" + feature + "/" + UniqueName(r, taken, x => Text.PascalPair(x)) + (jsx ? ".tsx" : ".ts"), jsx ? "tsx" : "ts", r.Size(5500, 300));
                }
            }

            foreach (var (folder, count) in new[] { ("hooks", 200), ("pages", 300), ("utils", 300) })
            {
                var taken = new HashSet<string>();
                for (var i = 0; i < count; i++)
                {
                    var jsx = folder == "pages";
                    plan.Add("frontend/src/" + folder + "/" + UniqueName(r, taken, Text.Camel) + (jsx ? ".tsx" : ".ts"), jsx ? "tsx" : "ts", r.Size(5500, 300));
                }
            }

            NodeModules(r, plan, "frontend/node_modules", 160);
            plan.Ignored.Add("frontend/coverage/");
            for (var i = 0; i < 60; i++) plan.Add("frontend/coverage/lcov-report/" + Text.Camel(r) + i + ".html", "md", r.Size(10000, 500));
            plan.Add("frontend/tsconfig.tsbuildinfo", "json", 300_000);
            plan.Ignored.Add("frontend/tsconfig.tsbuildinfo");

            // Static: minified bundles with source maps, images and fonts (already compressed: random bytes).
            for (var i = 0; i < 160; i++)
            {
                var name = "static/js/chunk-" + i.ToString("D3") + "." + Hash8(r) + ".min.js";
                plan.Add(name, "minjs", r.Size(220_000, 5_000, 0.7));
                plan.Add(name + ".map", "map", r.Size(120_000, 3_000, 0.7));
            }

            var images = new HashSet<string>();
            for (var i = 0; i < 700; i++) plan.Add("static/img/" + UniqueName(r, images, x => x.Pick(Words.Adjectives) + "-" + x.Pick(Words.Nouns)) + ".png", "png", r.Size(45_000, 800));
            for (var i = 0; i < 250; i++) plan.Add("static/img/photos/" + UniqueName(r, images, x => x.Pick(Words.Nouns) + "-" + x.Range(1000, 9999)) + ".jpg", "jpg", r.Size(60_000, 2_000));
            for (var i = 0; i < 40; i++) plan.Add("static/fonts/" + UniqueName(r, images, x => "font-" + x.Pick(Words.Nouns)) + ".woff2", "woff2", r.Size(50_000, 10_000, 0.4));

            // Data: JSON fixtures, gzip archives, docs; logs (ignored).
            foreach (var group in Distinct(r, Words.Nouns, 17))
            {
                var taken = new HashSet<string>();
                for (var i = 0; i < 100; i++) plan.Add("data/fixtures/" + group + "/" + UniqueName(r, taken, Text.Snake) + ".json", "json", r.Size(20_500, 500));
            }

            for (var i = 0; i < 50; i++) plan.Add("data/archives/export-" + i.ToString("D2") + ".json.gz", "gz", r.Size(400_000, 20_000, 0.6));
            foreach (var section in Distinct(r, Words.Nouns, 10))
            {
                var taken = new HashSet<string>();
                for (var i = 0; i < 50; i++) plan.Add("docs/" + section + "/" + UniqueName(r, taken, Text.Snake) + ".md", "md", r.Size(8000, 400));
            }

            plan.Ignored.Add("logs/");
            for (var i = 0; i < 4; i++) plan.Add("logs/app-" + i + ".log", "md", 512_000);
            plan.Add("backend/debug.log", "md", 100_000);
            plan.Ignored.Add("backend/debug.log");
            return plan;
        }

        private static AppPlan Large(Rng r)
        {
            var plan = new AppPlan("large", "main.py");
            const int MB = 1024 * 1024;
            plan.Literal("main.py", MainPy("bench-large"));
            plan.Literal("requirements.txt", Requirements + "torch==2.4.1\nnumpy==2.1.1\n");
            plan.Literal(".gitignore", RootGitignore + "\n# Local caches\ndata/cache/\n");
            plan.Literal(".env.example", EnvExample);
            plan.Add("README.md", "md", 12_000);
            var taken = new HashSet<string>();
            for (var i = 0; i < 12; i++) plan.Add("src/" + UniqueName(r, taken, Text.Snake) + ".py", "py", r.Size(12000, 800, 0.5));
            for (var i = 0; i < 3; i++) plan.Add("models/weights-" + i + ".bin", "bin", 120L * MB);
            for (var i = 0; i < 4; i++) plan.Add("media/demo-" + i + ".mp4", "mp4", 40L * MB);
            for (var i = 0; i < 6; i++) plan.Add("data/events-" + i + ".jsonl", "jsonl", 40L * MB);
            for (var i = 0; i < 4; i++) plan.Add("data/metrics-" + i + ".csv", "csv", 40L * MB);
            for (var i = 0; i < 40; i++) plan.Add("static/img/frame-" + i.ToString("D2") + ".png", "png", 1L * MB);
            for (var i = 0; i < 2; i++) plan.Add("static/js/bundle-" + i + ".min.js", "minjs", 10L * MB);
            NodeModules(r, plan, "node_modules", 6);
            plan.Ignored.Add("data/cache/");
            for (var i = 0; i < 4; i++) plan.Add("data/cache/part-" + i + ".bin", "bin", 8L * MB);
            return plan;
        }

        private static string Hash8(Rng r)
        {
            var sb = new StringBuilder();
            Text.Hex(r, sb, 8);
            return sb.ToString();
        }

        /// <summary>Writes every file of the plan under <paramref name="appDir"/> (two at a time) and returns the case's digest.</summary>
        public static GeneratedApp Write(AppPlan plan, string appDir, ulong seed)
        {
            var paths = plan.Files.Select(f => f.Path).ToList();
            if (paths.Distinct(StringComparer.Ordinal).Count() != paths.Count)
            {
                throw new InvalidOperationException("The plan of " + plan.Name + " names a file twice.");
            }

            var ordered = plan.Files.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
            var hashes = new byte[ordered.Count][];
            Parallel.For(0, ordered.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) }, i =>
            {
                hashes[i] = WriteFile(ordered[i], Path.Combine(appDir, ordered[i].Path.Replace('/', Path.DirectorySeparatorChar)), seed);
            });

            foreach (var dir in Directory.EnumerateDirectories(appDir, "*", SearchOption.AllDirectories))
            {
                Directory.SetLastWriteTimeUtc(dir, FixedTime);
            }

            Directory.SetLastWriteTimeUtc(appDir, FixedTime);
            using (var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                for (var i = 0; i < ordered.Count; i++)
                {
                    digest.AppendData(Encoding.UTF8.GetBytes(ordered[i].Path + "\n"));
                    digest.AppendData(hashes[i]);
                }

                var upload = ordered.Where(f => !plan.IsIgnored(f.Path)).ToList();
                return new GeneratedApp
                {
                    Case = plan.Name,
                    Files = ordered.Count,
                    Bytes = ordered.Sum(f => new FileInfo(Path.Combine(appDir, f.Path)).Length),
                    UploadFiles = upload.Count,
                    UploadBytes = upload.Sum(f => new FileInfo(Path.Combine(appDir, f.Path)).Length),
                    Digest = Convert.ToHexString(digest.GetHashAndReset()).ToLowerInvariant(),
                    Entrypoint = plan.Entrypoint,
                    Ignored = plan.Ignored.ToArray(),
                };
            }
        }

        [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
        private static extern int link(string oldpath, string newpath);

        /// <summary>
        /// The peers' copy: every file the ignore rules keep, hard-linked (same bytes, same page cache, no extra
        /// disk), in the same folders. A file system without hard links gets real copies.
        /// </summary>
        public static void MakePeerCopy(AppPlan plan, string appDir, string peerDir)
        {
            foreach (var file in plan.Files.Where(f => !plan.IsIgnored(f.Path)))
            {
                var source = Path.Combine(appDir, file.Path);
                var target = Path.Combine(peerDir, file.Path);
                Directory.CreateDirectory(Path.GetDirectoryName(target));
                var linked = false;
                try
                {
                    linked = link(source, target) == 0;
                }
                catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException)
                {
                }

                if (!linked)
                {
                    File.Copy(source, target, true);
                    File.SetLastWriteTimeUtc(target, FixedTime);
                }
            }

            foreach (var dir in Directory.EnumerateDirectories(peerDir, "*", SearchOption.AllDirectories))
            {
                Directory.SetLastWriteTimeUtc(dir, FixedTime);
            }

            Directory.SetLastWriteTimeUtc(peerDir, FixedTime);
        }

        /// <summary>The same digest, computed from the files on disk (to check a folder against its marker).</summary>
        public static string DigestOnDisk(AppPlan plan, string appDir)
        {
            using (var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                foreach (var file in plan.Files.OrderBy(f => f.Path, StringComparer.Ordinal))
                {
                    digest.AppendData(Encoding.UTF8.GetBytes(file.Path + "\n"));
                    using (var stream = File.OpenRead(Path.Combine(appDir, file.Path)))
                    using (var sha = SHA256.Create())
                    {
                        digest.AppendData(sha.ComputeHash(stream));
                    }
                }

                return Convert.ToHexString(digest.GetHashAndReset()).ToLowerInvariant();
            }
        }

        private static byte[] WriteFile(FileSpec spec, string fullPath, ulong seed)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(fullPath));
            var r = Rng.For(seed, "file:" + spec.Path);
            using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                using (var output = new FileStream(fullPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
                {
                    void Put(byte[] bytes, int count)
                    {
                        output.Write(bytes, 0, count);
                        sha.AppendData(bytes, 0, count);
                    }

                    switch (spec.Kind)
                    {
                        case "literal":
                            var literal = Encoding.UTF8.GetBytes(spec.Literal);
                            Put(literal, literal.Length);
                            break;
                        case "png":
                        case "jpg":
                        case "woff2":
                        case "gz":
                        case "mp4":
                        case "bin":
                        case "pyc":
                            WriteRandom(r, spec, Put);
                            break;
                        default:
                            WriteText(r, spec, Put);
                            break;
                    }
                }

                File.SetLastWriteTimeUtc(fullPath, FixedTime);
                return sha.GetHashAndReset();
            }
        }

        private static readonly Dictionary<string, byte[]> Magic = new Dictionary<string, byte[]>
        {
            ["png"] = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A },
            ["jpg"] = new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 },
            ["woff2"] = Encoding.ASCII.GetBytes("wOF2"),
            ["gz"] = new byte[] { 0x1F, 0x8B, 0x08, 0x00 },
            ["mp4"] = new byte[] { 0, 0, 0, 0x20, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6F, 0x6D },
            ["pyc"] = new byte[] { 0xCB, 0x0D, 0x0D, 0x0A },
            ["bin"] = Array.Empty<byte>(),
        };

        private static void WriteRandom(Rng r, FileSpec spec, Action<byte[], int> put)
        {
            var magic = Magic[spec.Kind];
            put(magic, magic.Length);
            var left = spec.Size - magic.Length;
            var buffer = new byte[1 << 16];
            while (left > 0)
            {
                var count = (int)Math.Min(buffer.Length, left);
                r.Fill(buffer, count);
                put(buffer, count);
                left -= count;
            }
        }

        private static void WriteText(Rng r, FileSpec spec, Action<byte[], int> put)
        {
            var sb = new StringBuilder(1 << 17);
            long written = 0;
            var first = true;
            var last = false;
            while (!last)
            {
                sb.Clear();
                if (first)
                {
                    Header(r, spec.Kind, sb);
                    first = false;
                }

                while (sb.Length < (1 << 16) && written + sb.Length < spec.Size)
                {
                    Unit(r, spec.Kind, sb);
                }

                last = written + sb.Length >= spec.Size;
                if (last)
                {
                    Footer(spec.Kind, sb);
                }

                var bytes = Encoding.UTF8.GetBytes(sb.ToString());
                put(bytes, bytes.Length);
                written += bytes.Length;
            }
        }

        private static void Header(Rng r, string kind, StringBuilder sb)
        {
            switch (kind)
            {
                case "py": Text.PythonHeader(r, sb); break;
                case "pytest": sb.Append("import pytest\n\nfrom app import ").Append(Text.Snake(r)).Append('\n'); break;
                case "ts": Text.TsHeader(r, sb, false); break;
                case "tsx": Text.TsHeader(r, sb, true); break;
                case "js": sb.Append("'use strict';\n\nObject.defineProperty(exports, '__esModule', { value: true });\n\n"); break;
                case "minjs": sb.Append("/*! bench bundle | MIT */\n(self.webpackChunk=self.webpackChunk||[]).push([[").Append(r.Range(1, 999)).Append("],{"); break;
                case "map": sb.Append("{\"version\":3,\"file\":\"chunk.min.js\",\"sources\":[\"webpack://src/index.ts\"],\"names\":[],\"mappings\":\""); break;
                case "json": sb.Append("{\n  \"generated\": true,\n  \"items\": [\n  "); break;
                case "csv": sb.Append("id,timestamp,user,category,amount,lat,lon,country,comment\n"); break;
                case "md": sb.Append("# ").Append(Text.Pascal(r.Pick(Words.Nouns))).Append(' ').Append(r.Pick(Words.Nouns)).Append("s\n"); break;
            }
        }

        private static void Unit(Rng r, string kind, StringBuilder sb)
        {
            switch (kind)
            {
                case "py": Text.PythonUnit(r, sb); break;
                case "pytest": Text.PythonTestUnit(r, sb); break;
                case "ts": Text.TsUnit(r, sb, false); break;
                case "tsx": Text.TsUnit(r, sb, true); break;
                case "js": Text.TsUnit(r, sb, false); break;
                case "minjs": Text.MinifiedUnit(r, sb); break;
                case "map": Text.SourceMapUnit(r, sb); break;
                case "json": Text.JsonRecord(r, sb, true); sb.Append(",\n  "); break;
                case "jsonl": Text.JsonRecord(r, sb, false); sb.Append('\n'); break;
                case "csv": Text.CsvRow(r, sb); break;
                case "md": Text.MarkdownUnit(r, sb); break;
                default: throw new ArgumentException("Unknown kind " + kind);
            }
        }

        private static void Footer(string kind, StringBuilder sb)
        {
            switch (kind)
            {
                case "minjs": sb.Append("}]);\n"); break;
                case "map": sb.Append("\"}\n"); break;
                case "json": sb.Append("{}\n  ]\n}\n"); break;
            }
        }
    }
}
