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
      node_modules
              a real npm tree: the conformance referees' tests/Conformance/node_modules (~12,800 files,
              ~50 MB; installed there with npm ci --no-audit --no-fund first when it is missing or stale),
              copied as app/node_modules beside an index.ts and the package.json. Its bin/ links stay in
              app/ (New-KernelDeployment skips links); peer/ has the regular files only.

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

    [ValidateSet('small', 'medium', 'large', 'node_modules')]
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

# The real npm tree: the referees' node_modules, installed as the conformance run installs it (same stamp).
function Get-NodeModulesSource {
    $here = Join-Path $PSScriptRoot '../tests/Conformance'
    $modules = Join-Path $here 'node_modules'
    $stamp = Join-Path $modules '.conformance-installed'
    $want = ((Get-FileHash -Algorithm SHA256 -LiteralPath (Join-Path $here 'package.json')).Hash) + ' ' + ((Get-FileHash -Algorithm SHA256 -LiteralPath (Join-Path $here 'package-lock.json')).Hash)
    $have = if (Test-Path -LiteralPath $stamp) { (Get-Content -Raw -LiteralPath $stamp).Trim() } else { '' }
    if ($have -ne $want) {
        $npm = Get-Command npm -CommandType Application -ErrorAction Ignore | Select-Object -First 1
        if (-not $npm) { throw 'The node_modules case needs npm on PATH (it installs tests/Conformance/node_modules with npm ci); install Node.js 20+ with npm, or leave the case out with -Cases.' }
        Write-Host 'Installing tests/Conformance/node_modules (npm ci --no-audit --no-fund) ...'
        Push-Location $here
        try {
            & $npm.Source ci --no-audit --no-fund | Out-Host
            if ($LASTEXITCODE -ne 0) { throw "npm ci failed with exit code $LASTEXITCODE in $here" }
        }
        finally { Pop-Location }
        Set-Content -LiteralPath $stamp -Value $want
    }
    [pscustomobject]@{ Path = [IO.Path]::GetFullPath($modules); Stamp = $want; PackageJson = Join-Path $here 'package.json' }
}

function New-NodeModulesCase([string] $CaseDir, [string] $AppDir, [string] $PeerDir, [string] $MarkerPath) {
    $source = Get-NodeModulesSource
    $version = (Get-FileHash -Algorithm SHA256 -InputStream ([IO.MemoryStream]::new([Text.Encoding]::UTF8.GetBytes($source.Stamp)))).Hash.Substring(0, 16).ToLowerInvariant()
    if (-not $Force -and (Test-Path -LiteralPath $MarkerPath) -and (Test-Path -LiteralPath $AppDir) -and (Test-Path -LiteralPath $PeerDir)) {
        $candidate = Get-Content -Raw -LiteralPath $MarkerPath | ConvertFrom-Json
        if ($candidate.GeneratorVersion -eq $version) { return $candidate, $true }
    }

    Write-Host "Copying $($source.Path) into $CaseDir ..."
    if (Test-Path -LiteralPath $CaseDir) { Remove-Item -LiteralPath $CaseDir -Recurse -Force }
    New-Item -ItemType Directory -Force -Path $AppDir, $PeerDir | Out-Null
    # cp -a keeps the tree as npm left it, links included; the install stamp is the conformance run's, not npm's.
    & cp -a $source.Path (Join-Path $AppDir 'node_modules')
    if ($LASTEXITCODE -ne 0) { throw "Copying $($source.Path) failed (exit code $LASTEXITCODE)." }
    Remove-Item -LiteralPath (Join-Path $AppDir 'node_modules/.conformance-installed') -Force -ErrorAction Ignore
    Copy-Item -LiteralPath $source.PackageJson -Destination (Join-Path $AppDir 'package.json')
    Set-Content -LiteralPath (Join-Path $AppDir 'index.ts') -Encoding utf8NoBOM -Value "import { Kernel } from '@onkernel/sdk';`n`nconst kernel = new Kernel();`nconst app = kernel.app('deps');`n`napp.action('ping', async () => ({ ok: true }));`n"
    # The peer gets what New-KernelDeployment uploads: the regular files (it skips links), as hard links.
    & cp -al "$AppDir/." $PeerDir
    if ($LASTEXITCODE -ne 0) { throw "Linking $AppDir into $PeerDir failed (exit code $LASTEXITCODE)." }
    Get-ChildItem -LiteralPath $PeerDir -Recurse -Force -Attributes ReparsePoint | Remove-Item -Force
    $all = @(Get-ChildItem -LiteralPath $AppDir -Recurse -Force -File)
    $uploaded = @(Get-ChildItem -LiteralPath $PeerDir -Recurse -Force -File)
    $marker = [pscustomobject]@{
        GeneratorVersion = $version
        Seed             = 0
        Case             = 'node_modules'
        Entrypoint       = 'index.ts'
        Files            = $all.Count
        Bytes            = ($all | Measure-Object Length -Sum).Sum
        UploadFiles      = $uploaded.Count
        UploadBytes      = ($uploaded | Measure-Object Length -Sum).Sum
        Digest           = $source.Stamp
        Ignored          = @()
        GeneratedSeconds = 0
    }
    $marker | ConvertTo-Json -Depth 4 | Set-Content -LiteralPath $MarkerPath -Encoding utf8NoBOM
    $marker, $false
}

foreach ($case in $Cases) {
    $caseDir = Join-Path $Root $case
    $appDir = Join-Path $caseDir 'app'
    $peerDir = Join-Path $caseDir 'peer'
    $markerPath = Join-Path $caseDir 'complete.json'
    $clock = [Diagnostics.Stopwatch]::StartNew()
    if ($case -eq 'node_modules') {
        $marker, $reused = New-NodeModulesCase $caseDir $appDir $peerDir $markerPath
        [pscustomobject]@{
            Case = $case; AppPath = $appDir; PeerPath = $peerDir; Entrypoint = $marker.Entrypoint; Files = $marker.Files; Bytes = $marker.Bytes
            UploadFiles = $marker.UploadFiles; UploadBytes = $marker.UploadBytes; Digest = $marker.Digest; Reused = $reused
            Seconds = [math]::Round($clock.Elapsed.TotalSeconds, 1)
        }
        continue
    }

    $plan = [KernelBench.Generator]::Plan($case, $Seed)
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
