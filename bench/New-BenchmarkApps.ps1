#Requires -Version 7.4
<#
.SYNOPSIS
    Generates the benchmark's app folders, deterministically, once.
.DESCRIPTION
    Writes <Root>/<case>/app (what New-KernelDeployment is pointed at), <Root>/<case>/peer (the same files minus
    what the app's .gitignore files exclude, hard-linked: what the other tools are given) and
    <Root>/<case>/complete.json (the marker). A case whose marker matches the generator's source and seed is
    reused as it is; anything else is deleted and written again.

      small   50 files, ~1 MB (Python, TypeScript, a minified bundle, JSON, one PNG and one font)
      medium  ~10,000 uploaded files, ~200 MB: Python and TypeScript source, minified JS with source maps,
              JSON fixtures, Markdown, random-byte .png/.jpg/.woff2/.gz (already compressed), dot-files at the
              root and below it (.github/, frontend/.eslintrc.json, ...), and ~1,900 ignored files: a nested
              frontend/node_modules (with node_modules inside packages), __pycache__ folders, logs, a coverage
              folder excluded by a nested frontend/.gitignore.
      large   ~1 GB in ~75 uploaded files: random .bin weights and .mp4 media, JSONL and CSV data, PNGs, two
              big minified bundles; a node_modules and a data/cache folder are ignored.

    All content comes from one 64-bit seed (SplitMix64, see BenchmarkApps.cs): the same seed gives the same
    bytes on every run and machine. Every file and folder gets the modification time 2024-06-01 12:00 UTC.
    The marker records a SHA-256 digest over every file's path and bytes; -Verify recomputes it from disk.
.EXAMPLE
    dotnet pwsh ./bench/New-BenchmarkApps.ps1 -Cases small,medium
.EXAMPLE
    dotnet pwsh ./bench/New-BenchmarkApps.ps1 -Root /tmp/b2 -Cases medium -Verify   # prove determinism: compare digests
#>
[CmdletBinding()]
param(
    # Where the cases go. Keep it out of the repository's tracked files (out/ is git-ignored).
    [string] $Root = (Join-Path $PSScriptRoot '../out/bench/apps'),

    [ValidateSet('small', 'medium', 'large')]
    [string[]] $Cases = @('small', 'medium', 'large'),

    [uint64] $Seed = 20240601,

    # Regenerate even when the marker says the case is complete.
    [switch] $Force,

    # Re-hash the files on disk and fail unless they match the marker's digest.
    [switch] $Verify
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$source = Join-Path $PSScriptRoot 'BenchmarkApps.cs'
if (-not ('KernelBench.Generator' -as [type])) {
    Add-Type -Path $source
}

# Any change to the generator invalidates every marker.
$generatorVersion = (Get-FileHash -Algorithm SHA256 -LiteralPath $source).Hash.Substring(0, 16).ToLowerInvariant()
$Root = [IO.Path]::GetFullPath($Root)
New-Item -ItemType Directory -Force -Path $Root | Out-Null

foreach ($case in $Cases) {
    $caseDir = Join-Path $Root $case
    $appDir = Join-Path $caseDir 'app'
    $peerDir = Join-Path $caseDir 'peer'
    $markerPath = Join-Path $caseDir 'complete.json'
    $plan = [KernelBench.Generator]::Plan($case, $Seed)
    $clock = [Diagnostics.Stopwatch]::StartNew()

    $marker = $null
    if (-not $Force -and (Test-Path -LiteralPath $markerPath) -and (Test-Path -LiteralPath $appDir) -and (Test-Path -LiteralPath $peerDir)) {
        $candidate = Get-Content -Raw -LiteralPath $markerPath | ConvertFrom-Json
        if ($candidate.GeneratorVersion -eq $generatorVersion -and [uint64]$candidate.Seed -eq $Seed) { $marker = $candidate }
    }

    $reused = [bool]$marker
    if (-not $marker) {
        Write-Host "Generating the $case case in $caseDir ..."
        if (Test-Path -LiteralPath $caseDir) { Remove-Item -LiteralPath $caseDir -Recurse -Force }
        New-Item -ItemType Directory -Force -Path $appDir | Out-Null
        $result = [KernelBench.Generator]::Write($plan, $appDir, $Seed)
        [KernelBench.Generator]::MakePeerCopy($plan, $appDir, $peerDir)
        $marker = [pscustomobject]@{
            GeneratorVersion = $generatorVersion
            Seed             = $Seed
            Case             = $case
            Entrypoint       = $result.Entrypoint
            Files            = $result.Files
            Bytes            = $result.Bytes
            UploadFiles      = $result.UploadFiles
            UploadBytes      = $result.UploadBytes
            Digest           = $result.Digest
            Ignored          = $result.Ignored
            GeneratedSeconds = [math]::Round($clock.Elapsed.TotalSeconds, 1)
        }
        # Written last: its presence means the case is complete.
        $marker | ConvertTo-Json -Depth 4 | Set-Content -LiteralPath $markerPath -Encoding utf8NoBOM
    }

    if ($Verify) {
        $onDisk = [KernelBench.Generator]::DigestOnDisk($plan, $appDir)
        if ($onDisk -ne $marker.Digest) { throw "The $case case on disk (digest $onDisk) does not match its marker ($($marker.Digest)); run with -Force." }
        $peerFiles = @(Get-ChildItem -LiteralPath $peerDir -Recurse -File -Force).Count
        if ($peerFiles -ne $marker.UploadFiles) { throw "The $case peer copy has $peerFiles files, the marker says $($marker.UploadFiles); run with -Force." }
    }

    [pscustomobject]@{
        Case        = $case
        AppPath     = $appDir
        PeerPath    = $peerDir
        Entrypoint  = $marker.Entrypoint
        Files       = $marker.Files
        Bytes       = $marker.Bytes
        UploadFiles = $marker.UploadFiles
        UploadBytes = $marker.UploadBytes
        Digest      = $marker.Digest
        Reused      = $reused
        Seconds     = [math]::Round($clock.Elapsed.TotalSeconds, 1)
    }
}
