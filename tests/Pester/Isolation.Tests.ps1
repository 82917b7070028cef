BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $manifestPath = (Resolve-Path $env:KERNEL_TEST_MODULE).ProviderPath
    $moduleFolder = Split-Path -Parent $manifestPath
    $dependencies = Join-Path $moduleFolder 'dependencies'

    # One fresh pwsh does what a user's session would: it uses PowerShell's own System.Text.Json before the module
    # is imported, deploys, re-imports the module with -Force and deploys again, and then reports, as JSON, what
    # each assembly load context holds.
    $script = {
        param($ManifestPath, $AppFolder)
        $ErrorActionPreference = 'Stop'
        $before = [System.Text.Json.JsonDocument]::Parse('{"loaded":"first"}').RootElement.GetProperty('loaded').GetString()
        Import-Module $ManifestPath
        $emulator = Start-KernelEmulator
        try {
            Connect-Kernel -BaseUri $emulator.BaseUri -ApiKey $emulator.ApiKey | Out-Null
            $first = New-KernelDeployment -Path $AppFolder -EntrypointRelPath main.py -EnvVars @{ GREETING = 'hi' } -Force | Wait-KernelDeployment
            $apps = @(Get-KernelApp)
            Import-Module $ManifestPath -Force
            Connect-Kernel -BaseUri $emulator.BaseUri -ApiKey $emulator.ApiKey | Out-Null
            $second = New-KernelDeployment -Path $AppFolder -EntrypointRelPath main.py -Force | Wait-KernelDeployment
        }
        finally {
            Stop-KernelEmulator $emulator
        }
        $contexts = foreach ($context in [System.Runtime.Loader.AssemblyLoadContext]::All) {
            foreach ($assembly in $context.Assemblies) {
                if ($assembly.IsDynamic) { continue }
                [pscustomobject]@{ Context = $context.Name; Name = $assembly.GetName().Name; Version = "$($assembly.GetName().Version)"; Location = $assembly.Location }
            }
        }
        [pscustomobject]@{
            Before            = $before
            FirstStatus       = $first.Status
            FirstEnvVars      = @($first.EnvVars.Keys)
            SecondStatus      = $second.Status
            AppNames          = @($apps.AppName)
            IsDeploymentType  = $first -is [Kernel.PowerShell.KernelDeployment]
            DefaultJson       = [System.Text.Json.JsonDocument].Assembly.Location
            Assemblies        = @($contexts)
        } | ConvertTo-Json -Depth 4 -Compress
    }

    $app = New-TestApp @{ 'main.py' = "import kernel`napp = kernel.App('isolation')`n" }
    $command = "& { $script } -ManifestPath '$manifestPath' -AppFolder '$app'"
    $output = Invoke-FreshPwsh -Command $command
    $report = ($output | Select-Object -Last 1) | ConvertFrom-Json
    $ours = @($report.Assemblies | Where-Object Context -EQ 'Kernel.PowerShell')
    $default = @($report.Assemblies | Where-Object Context -EQ 'Default')
}

AfterAll {
    if ($app) { Remove-Item -Recurse -Force $app -ErrorAction SilentlyContinue }
}

Describe 'Dependency isolation' {
    It 'works in a session that used PowerShell''s own System.Text.Json first, also after Import-Module -Force' {
        $report.Before | Should -Be 'first' -Because ($output | Out-String)
        $report.FirstStatus | Should -Be 'running'
        $report.FirstEnvVars | Should -Be @('GREETING')
        $report.AppNames | Should -Contain 'isolation'
        $report.SecondStatus | Should -Be 'running'
    }

    It 'keeps its own System.Text.Json beside PowerShell''s, each in its own load context' {
        $theirs = $default | Where-Object Name -EQ 'System.Text.Json'
        $theirs.Location | Should -Be $report.DefaultJson
        $theirs.Location | Should -Not -BeLike "$moduleFolder*"
        $mine = $ours | Where-Object Name -EQ 'System.Text.Json'
        $mine.Location | Should -Be (Join-Path $dependencies 'core/System.Text.Json.dll')
        $mine.Version | Should -Not -Be $theirs.Version
    }

    It 'loads its dependencies only from its own dependencies folder' {
        @($ours.Name | Sort-Object) | Should -Be @('Kernel.PowerShell.Json', 'System.Text.Json')
        foreach ($assembly in $ours) {
            $assembly.Location | Should -BeLike "$dependencies$([IO.Path]::DirectorySeparatorChar)*"
        }
    }

    It 'puts nothing of its own in the default load context but the cmdlet assembly, whose types PowerShell sees' {
        @($default | Where-Object Location -Like "$moduleFolder*" | ForEach-Object Name) | Should -Be @('Kernel.PowerShell')
        $report.IsDeploymentType | Should -BeTrue
    }

    It 'ships a cmdlet assembly that references only the runtime and PowerShell' {
        # Read from the file's metadata: loading it here would put a second copy of its types in this process.
        $stream = [IO.File]::OpenRead((Join-Path $moduleFolder 'Kernel.PowerShell.dll'))
        $pe = [System.Reflection.PortableExecutable.PEReader]::new($stream)
        try {
            $metadata = [System.Reflection.Metadata.PEReaderExtensions]::GetMetadataReader($pe)
            $references = foreach ($handle in $metadata.AssemblyReferences) { $metadata.GetString($metadata.GetAssemblyReference($handle).Name) }
        }
        finally {
            $pe.Dispose()
        }
        @($references | Sort-Object) | Should -Be @('netstandard', 'System.Management.Automation')
    }

    It 'leaves loading to the module: the manifest names no RequiredAssemblies or NestedModules' {
        $manifest = Import-PowerShellDataFile $manifestPath
        $manifest.Keys | Should -Not -Contain 'RequiredAssemblies'
        $manifest.Keys | Should -Not -Contain 'NestedModules'
    }
}
