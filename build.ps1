#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests and demonstrates the Kernel PowerShell module.
.DESCRIPTION
    Tasks:
      Build  - compiles everything and stages a loadable module at out/Kernel/ (with the emulator in out/Kernel/emulator/
               and the help, built from docs/en-US, in out/Kernel/en-US/).
      Test   - Build and Package, then the xunit suite, the Pester suite in a fresh pwsh, and the conformance referees
               (the official SDK and the OpenAPI spec through Prism, tests/Conformance; they need Node.js 20+ and npm,
               and are reported as skipped, with the reason, without them); ends with "N passed, N failed".
      Package - Build, then packs out/Kernel into out/package/Kernel.<version>.nupkg (installable with
               Install-PSResource or Install-Module from a local folder repository).
      Demo   - Build, then deploys examples/page-title to a local emulator and follows it to running.
      Bench  - Build, then bench/Invoke-Benchmark.ps1: ours against Compress-Archive+Invoke-RestMethod, zip+curl and
               a tar read floor on generated apps; writes bench/results.md (not part of Test).
      Clean  - removes out/ and every bin/ and obj/ folder.
    Run through the repository's pinned PowerShell: dotnet tool restore && dotnet pwsh ./build.ps1 <Task>
.EXAMPLE
    dotnet pwsh ./build.ps1 Test
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Package', 'Demo', 'Bench', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$out = Join-Path $root 'out'
$staged = Join-Path $out 'Kernel'
$results = Join-Path $out 'test-results'
$package = Join-Path $out 'package'

function Invoke-Native {
    param([Parameter(Mandatory)] [string] $Command, [string[]] $Arguments = @())
    & $Command @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Command $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

function Get-ModuleVersion {
    $props = [xml](Get-Content -Raw (Join-Path $root 'Directory.Build.props'))
    $version = $props.Project.PropertyGroup.Version | Where-Object { $_ } | Select-Object -First 1
    if (-not $version) { throw 'Directory.Build.props has no <Version>.' }
    $version
}

function Get-ReleaseNotes {
    # The section of CHANGELOG.md for the version being built: the one place release notes are written.
    $version = Get-ModuleVersion
    $changelog = (Get-Content -Raw (Join-Path $root 'CHANGELOG.md')).Replace("`r`n", "`n")
    $section = [regex]::Match($changelog, "(?ms)^## $([regex]::Escape($version))[ \t]*\n(?<notes>.*?)(?=^## |\z)")
    if (-not $section.Success -or -not $section.Groups['notes'].Value.Trim()) { throw "CHANGELOG.md has no '## $version' section with the release notes of $version." }
    $section.Groups['notes'].Value.Trim()
}

function Get-PackageAsset {
    # A file of a package the project restored, at the version its restore chose (so the csproj stays the one source).
    param([string] $Project, [string] $Package, [string] $Asset)
    $assets = Get-Content -Raw (Join-Path $root $Project 'obj/project.assets.json') | ConvertFrom-Json -AsHashtable
    $library = $assets.libraries.Keys | Where-Object { $_ -like "$Package/*" } | Select-Object -First 1
    if (-not $library) { throw "$Project has not restored $Package." }
    foreach ($folder in $assets.packageFolders.Keys) {
        $path = Join-Path $folder $assets.libraries[$library].path $Asset
        if (Test-Path $path) { return $path }
    }
    throw "$library has no $Asset in $($assets.packageFolders.Keys -join ', ')."
}

function Invoke-Build {
    Invoke-Native dotnet @('build', (Join-Path $root 'Kernel.PowerShell.sln'), '-c', $Configuration, '--nologo', '-v', 'quiet', '-clp:ErrorsOnly')

    if (Test-Path $staged) { Remove-Item -Recurse -Force $staged }
    $publish = Join-Path $out 'publish'
    Invoke-Native dotnet @('publish', (Join-Path $root 'src/Kernel.PowerShell'), '-c', $Configuration, '--no-build', '--nologo', '-v', 'quiet', '-o', $publish)
    $publishJson = Join-Path $out 'publish-json'
    Invoke-Native dotnet @('publish', (Join-Path $root 'src/Kernel.PowerShell.Json'), '-c', $Configuration, '--no-build', '--nologo', '-v', 'quiet', '-o', $publishJson)
    # The emulator ships framework-dependent: Kernel.Emulator.dll, its dependencies and its runtimeconfig/deps json
    # (its project turns off the apphost, web.config and static assets); debug symbols stay out, as the module's do.
    Invoke-Native dotnet @('publish', (Join-Path $root 'src/Kernel.Emulator'), '-c', $Configuration, '--no-build', '--nologo', '-v', 'quiet', '-o', (Join-Path $staged 'emulator'))
    Get-ChildItem (Join-Path $staged 'emulator') -Filter *.pdb | Remove-Item

    # Only the cmdlet assembly sits in the module folder. Kernel.PowerShell.Json and System.Text.Json go to
    # dependencies/, which nothing but the module itself looks in (see src/Kernel.PowerShell/Api/WireFormat.cs): the
    # netstandard2.0 closure there serves Windows PowerShell 5.1; dependencies/core holds System.Text.Json's net8.0
    # build for the module's own load context on PowerShell 7.
    Get-ChildItem $publish -File -Filter *.dll | Copy-Item -Destination $staged
    $dependencies = New-Item -ItemType Directory (Join-Path $staged 'dependencies')
    Get-ChildItem $publishJson -File -Filter *.dll | Copy-Item -Destination $dependencies
    $core = New-Item -ItemType Directory (Join-Path $dependencies 'core')
    Copy-Item (Get-PackageAsset -Project 'src/Kernel.PowerShell.Json' -Package 'System.Text.Json' -Asset 'lib/net8.0/System.Text.Json.dll') $core
    Copy-Item (Join-Path $root 'src/Kernel.PowerShell/Kernel.Format.ps1xml'), (Join-Path $root 'src/Kernel.PowerShell/Kernel.Types.ps1xml'), (Join-Path $root 'LICENSE') $staged
    # The source manifest's leading comment is about the tokens; the staged one has neither.
    $manifest = (Get-Content -Raw (Join-Path $root 'Kernel.psd1')) -replace '\A(\s*#[^\n]*\n)+', ''
    $manifest = $manifest.Replace('{{ModuleVersion}}', (Get-ModuleVersion)).Replace('{{ReleaseNotes}}', (Get-ReleaseNotes).Replace("'", "''"))
    Set-Content -Path (Join-Path $staged 'Kernel.psd1') -Value $manifest -Encoding utf8NoBOM
    Remove-Item -Recurse -Force $publish, $publishJson
    # The example app the help and about_Kernel deploy, and the example extension they publish, so their examples
    # work from an installed module too.
    $examples = New-Item -ItemType Directory (Join-Path $staged 'examples')
    Copy-Item -Recurse (Join-Path $root 'examples/page-title'), (Join-Path $root 'examples/hello-extension') $examples

    # Help: markdown in docs/en-US becomes MAML and about_ topics; syntax and metadata come from the staged DLL.
    & (Join-Path $root 'tools/Build-Help.ps1') -DocsPath (Join-Path $root 'docs/en-US') -ModulePath (Join-Path $staged 'Kernel.psd1') -OutputPath (Join-Path $staged 'en-US')
    Write-Host "Staged module $(Get-ModuleVersion) at $staged"
}

function Invoke-Package {
    # PSResourceGet publishes only to a registered repository: a throwaway one over out/package.
    if (Test-Path $package) { Remove-Item -Recurse -Force $package }
    New-Item -ItemType Directory $package | Out-Null
    $repository = 'KernelBuild' + [guid]::NewGuid().ToString('N').Substring(0, 8)
    Register-PSResourceRepository -Name $repository -Uri $package -Trusted
    try {
        Publish-PSResource -Path $staged -Repository $repository
    }
    finally {
        Unregister-PSResourceRepository -Name $repository
    }
    Write-Host "Packed $((Get-ChildItem $package -Filter *.nupkg).FullName)"
}

function Get-PesterModulePath {
    $project = Join-Path $root 'tools/pester/Pester.Download.csproj'
    Invoke-Native dotnet @('restore', $project, '--nologo', '-v', 'quiet')
    $packages = (& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    $path = Join-Path $packages.Trim() 'pester/5.9.1/tools/Pester.psd1'
    if (-not (Test-Path $path)) { throw "Pester was restored but is not at $path" }
    $path
}

function Invoke-UnitTests {
    $trx = Join-Path $results 'unit.trx'
    if (Test-Path $trx) { Remove-Item $trx }
    & dotnet test (Join-Path $root 'tests/Unit') -c $Configuration --no-build --nologo `
        --logger "trx;LogFileName=$trx" --logger 'console;verbosity=minimal' | Out-Host
    if (-not (Test-Path $trx)) { throw "xunit wrote no results (exit code $LASTEXITCODE)" }
    $run = ([xml](Get-Content -Raw $trx)).TestRun
    $counters = $run.ResultSummary.Counters
    [pscustomobject]@{
        Suite    = 'xunit'
        Passed   = [int]$counters.passed
        Failed   = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
        Skipped  = [int]$counters.notExecuted
        Failures = @($run.Results.UnitTestResult | Where-Object outcome -NE 'Passed' | Where-Object outcome -NE 'NotExecuted' |
                ForEach-Object { "$($_.testName): $(($_.Output.ErrorInfo.Message -split "`n")[0])" })
    }
}

function Invoke-PesterTests([string] $Pester) {
    $summary = Join-Path $results 'pester-summary.json'
    if (Test-Path $summary) { Remove-Item $summary }
    # A fresh process: no profile, no state from this build, as a user's CI would run it.
    & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $root 'tests/Pester/Invoke-PesterSuite.ps1') `
        -PesterPath $Pester -ModulePath (Join-Path $staged 'Kernel.psd1') -PackagePath $package -ResultDirectory $results | Out-Host
    if (-not (Test-Path $summary)) { throw "Pester wrote no summary (exit code $LASTEXITCODE)" }
    $counts = Get-Content -Raw $summary | ConvertFrom-Json
    [pscustomobject]@{ Suite = 'Pester'; Passed = $counts.Passed; Failed = $counts.Failed; Skipped = $counts.Skipped; Failures = @($counts.Failures) }
}

function Invoke-ConformanceTests([string] $Pester) {
    # The referees: the official @onkernel/sdk against the emulator, and the spec (through Prism) over the Pester run.
    $summary = Join-Path $results 'conformance-summary.json'
    if (Test-Path $summary) { Remove-Item $summary }
    & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $root 'tests/Conformance/Invoke-Conformance.ps1') `
        -ModulePath (Join-Path $staged 'Kernel.psd1') -EmulatorPath (Join-Path $staged 'emulator/Kernel.Emulator.dll') `
        -PesterPath $Pester -ResultDirectory $results | Out-Host
    if (-not (Test-Path $summary)) { throw "The conformance run wrote no summary (exit code $LASTEXITCODE)" }
    $counts = Get-Content -Raw $summary | ConvertFrom-Json
    $report = Join-Path $results 'conformance-report.json'
    $failures = if (Test-Path $report) {
        @(Get-Content -Raw $report | ConvertFrom-Json | Where-Object Result -EQ 'Failed' | ForEach-Object { "$($_.Name): $($_.Message)" })
    }
    [pscustomobject]@{ Suite = 'Conformance'; Passed = $counts.Passed; Failed = $counts.Failed; Skipped = $counts.Skipped; Failures = @($failures) }
}

switch ($Task) {
    'Clean' {
        Remove-Item -Recurse -Force $out -ErrorAction Ignore
        Get-ChildItem $root -Directory -Recurse -Include bin, obj |
            Where-Object { $_.FullName -notmatch '[\\/]node_modules[\\/]' } |
            Remove-Item -Recurse -Force
    }
    'Build' { Invoke-Build }
    'Package' {
        Invoke-Build
        Invoke-Package
    }
    'Bench' {
        Invoke-Build
        & dotnet pwsh -NoProfile -File (Join-Path $root 'bench/Invoke-Benchmark.ps1') -ModulePath (Join-Path $staged 'Kernel.psd1')
        if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    }
    'Demo' {
        Invoke-Build
        & dotnet pwsh -NoProfile -File (Join-Path $root 'examples/Deploy-Example.ps1') -ModulePath (Join-Path $staged 'Kernel.psd1')
        if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    }
    'Test' {
        Invoke-Build
        Invoke-Package
        New-Item -ItemType Directory -Force $results | Out-Null
        $pester = Get-PesterModulePath
        $suites = @(Invoke-UnitTests; Invoke-PesterTests $pester; Invoke-ConformanceTests $pester)
        $suites | Format-Table Suite, Passed, Failed, Skipped -AutoSize | Out-Host
        # What was skipped, and why (the conformance referees need Node.js, the Prism pass the spec mirror).
        $report = Join-Path $results 'conformance-report.json'
        $skippedChecks = if (Test-Path $report) { @(Get-Content -Raw $report | ConvertFrom-Json | Where-Object Result -EQ 'Skipped') } else { @() }
        foreach ($group in $skippedChecks | Group-Object Message) { Write-Host "Conformance: $($group.Count) skipped: $($group.Name)" }
        foreach ($suite in $suites) {
            foreach ($failure in $suite.Failures) { Write-Host "FAILED ($($suite.Suite)) $(($failure -split "`n")[0])" }
        }
        $passed = ($suites | Measure-Object Passed -Sum).Sum
        $failed = ($suites | Measure-Object Failed -Sum).Sum
        $skipped = ($suites | Measure-Object Skipped -Sum).Sum
        $line = "$passed passed, $failed failed"
        if ($skipped) { $line += ", $skipped skipped" }
        Write-Host $line
        if ($failed -gt 0 -or $passed -eq 0) { exit 1 }
    }
}
