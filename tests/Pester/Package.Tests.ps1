# The .nupkg that build.ps1 Package makes installs like any gallery module, works, and holds only what runs.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $nupkg = @(Get-ChildItem -LiteralPath $env:KERNEL_TEST_PACKAGE -Filter *.nupkg)
}

Describe 'The package''s files' {
    BeforeAll {
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $archive = [IO.Compression.ZipFile]::OpenRead($nupkg[0].FullName)
        try { $entries = @($archive.Entries | ForEach-Object FullName) }
        finally { $archive.Dispose() }
        # What NuGet adds around the module: the nuspec and the Open Packaging Conventions parts.
        $module = @($entries | Where-Object { $_ -notmatch '^(_rels/|package/|\[Content_Types\]\.xml$|Kernel\.nuspec$)' })
    }

    It 'is one package' {
        $nupkg | Should -HaveCount 1
    }

    It 'holds the module, its dependencies, its help, its licence, the emulator, the example app and the example extension' {
        $needed = @(
            'Kernel.psd1', 'Kernel.PowerShell.dll', 'Kernel.Format.ps1xml', 'Kernel.Types.ps1xml', 'LICENSE'
            'dependencies/Kernel.PowerShell.Json.dll', 'dependencies/System.Text.Json.dll', 'dependencies/core/System.Text.Json.dll'
            'en-US/Kernel.PowerShell.dll-Help.xml', 'en-US/about_Kernel.help.txt'
            # Framework-dependent, started as `dotnet Kernel.Emulator.dll`.
            'emulator/Kernel.Emulator.dll', 'emulator/Kernel.Emulator.runtimeconfig.json', 'emulator/Kernel.Emulator.deps.json'
            # What the help's examples deploy, dot-files included.
            'examples/page-title/main.py', 'examples/page-title/pyproject.toml', 'examples/page-title/.env.example', 'examples/page-title/.gitignore'
            # What they publish as an extension.
            'examples/hello-extension/manifest.json', 'examples/hello-extension/content.js'
        )

        @($needed | Where-Object { $_ -notin $module }) | Should -BeNullOrEmpty
    }

    It 'holds nothing that does not run: no apphost, web.config, static web asset manifest or debug symbols' {
        $module | Should -Not -Contain 'emulator/Kernel.Emulator'
        $module | Should -Not -Contain 'emulator/Kernel.Emulator.exe'
        @($module | Where-Object { $_ -like '*.pdb' -or $_ -like '*web.config' -or $_ -like '*staticwebassets*' }) | Should -BeNullOrEmpty
        # Anything else has to be added here knowingly.
        $allowed = '^(Kernel\.psd1|Kernel\.PowerShell\.dll|Kernel\.(Format|Types)\.ps1xml|LICENSE|dependencies/(core/)?[^/]+\.dll|en-US/[^/]+\.(xml|txt)|emulator/[^/]+\.(dll|runtimeconfig\.json|deps\.json)|examples/(page-title|hello-extension)/[^/]+)$'
        @($module | Where-Object { $_ -notmatch $allowed }) | Should -BeNullOrEmpty
    }

    It 'holds exactly the staged module' {
        $staged = Split-Path $env:KERNEL_TEST_MODULE
        $files = @(Get-ChildItem -LiteralPath $staged -Recurse -File -Force | ForEach-Object { [IO.Path]::GetRelativePath($staged, $_.FullName).Replace('\', '/') })

        @($module | Sort-Object) | Should -Be @($files | Sort-Object)
    }
}

Describe 'The packaged module' {
    BeforeAll {
        $repository = 'KernelTest' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        Register-PSResourceRepository -Name $repository -Uri $env:KERNEL_TEST_PACKAGE -Trusted
        $modules = Join-Path ([IO.Path]::GetTempPath()) ("kernel-modules-" + [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory $modules | Out-Null
    }

    AfterAll {
        Unregister-PSResourceRepository -Name $repository
        Remove-Item -Recurse -Force $modules
    }

    It 'installs from a local folder repository and, imported by name in a fresh PowerShell, deploys the app it ships' {
        Save-PSResource -Name Kernel -Repository $repository -Path $modules -TrustRepository

        $version = (Import-PowerShellDataFile $env:KERNEL_TEST_MODULE).ModuleVersion
        Test-Path (Join-Path $modules "Kernel/$version/Kernel.psd1") | Should -BeTrue
        $script = "`$env:PSModulePath = '$modules'; Set-Location ([IO.Path]::GetTempPath()); Import-Module Kernel; " +
            '$emu = Start-KernelEmulator; Connect-Kernel -BaseUri $emu.BaseUri -ApiKey $emu.ApiKey; ' +
            '(New-KernelDeployment -Path (Join-Path (Get-Module Kernel).ModuleBase examples/page-title) -EntrypointRelPath main.py -Wait).Status; ' +
            '(Get-Module Kernel).ModuleBase; $emu | Stop-KernelEmulator'
        $output = Invoke-FreshPwsh -Command $script

        $LASTEXITCODE | Should -Be 0
        $output | Should -Contain 'running'
        $output | Should -Contain (Join-Path $modules "Kernel/$version")
    }
}
