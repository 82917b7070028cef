# The archive New-KernelDeployment uploads (taken back from the emulator, byte for byte), read by the tools a
# Linux runtime or a user would use: Info-ZIP unzip and zipinfo, Python's zipfile, and an unprivileged user who
# extracts and reads it. A tool this machine lacks fails its test with the package to install (.ci/run installs
# them): a check that did not run proves nothing.

Describe 'The uploaded archive, read by other tools' {
    BeforeAll {
        Import-Module $env:KERNEL_TEST_MODULE -Force
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        $emulator = Start-TestEmulator
        Connect-Kernel -BaseUri $emulator.BaseUri -ApiKey $emulator.ApiKey

        function Assert-Tool {
            <# Fails the test, naming the package, when a command is missing. #>
            param([string[]] $Name, [string] $Install)
            $missing = @($Name | Where-Object { -not (Get-Command $_ -CommandType Application -ErrorAction Ignore) })
            if ($missing) { throw "Cannot check the archive: $($missing -join ', ') is not installed ($Install)." }
        }

        # Root reads everything whatever the modes say, so as root the unprivileged reader is nobody/nogroup (65534:
        # no home, no groups, owns nothing here); any other user already is one.
        $isRoot = [Environment]::IsPrivilegedProcess
        function Invoke-Unprivileged {
            if ($isRoot) { & setpriv --reuid=65534 --regid=65534 --clear-groups -- @args 2>&1 }
            else { & $args[0] @($args | Select-Object -Skip 1) 2>&1 }
        }

        $app = New-TestApp @{
            'main.py'          = "import kernel`napp = kernel.App('interop')`n"
            'run.sh'           = "#!/bin/sh`necho ran`n"
            'lib/util.py'      = "VALUE = 1`n"
            'lib/private.txt'  = 'only the owner could read this here'
            'données/café.txt' = 'unicode'
            'empty.txt'        = ''
        }
        # Past a piece (4 MiB), with a data descriptor: zeros are deflated in pieces, random bytes stored in pieces.
        [IO.File]::WriteAllBytes((Join-Path $app 'lib/big.bin'), [byte[]]::new(5MB))
        $weights = [byte[]]::new(5MB + 123)
        [Random]::new(16).NextBytes($weights)
        New-Item -ItemType Directory (Join-Path $app 'models') | Out-Null
        [IO.File]::WriteAllBytes((Join-Path $app 'models/weights.bin'), $weights)
        $weightsSha = (Get-FileHash -Algorithm SHA256 (Join-Path $app 'models/weights.bin')).Hash.ToLowerInvariant()
        [IO.File]::SetUnixFileMode((Join-Path $app 'run.sh'), [IO.UnixFileMode]'UserRead, UserWrite, UserExecute, GroupRead, GroupExecute, OtherRead, OtherExecute')
        [IO.File]::SetUnixFileMode((Join-Path $app 'lib/private.txt'), [IO.UnixFileMode]'UserRead, UserWrite')
        [IO.File]::SetUnixFileMode((Join-Path $app 'lib'), [IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
        $written = [datetime]::new(2025, 7, 14, 10, 30, 42, [DateTimeKind]::Local)
        (Get-Item (Join-Path $app 'main.py')).LastWriteTime = $written

        $deployment = New-KernelDeployment -Path $app -EntrypointRelPath main.py -Wait
        $work = Join-Path ([IO.Path]::GetTempPath()) ("kernel-interop-" + [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory $work | Out-Null
        $zip = Join-Path $work 'uploaded.zip'
        Invoke-WebRequest "$($emulator.BaseUri)_emulator/deployments/$($deployment.Id)/archive" -OutFile $zip
        [IO.File]::SetUnixFileMode($zip, [IO.UnixFileMode]'UserRead, UserWrite, GroupRead, OtherRead')
    }

    AfterAll {
        Disconnect-Kernel
        $emulator | Stop-TestEmulator
        Remove-Item -Recurse -Force $app, $work -ErrorAction Ignore
    }

    It 'is the archive of a deployment that reached running' {
        $deployment.Status | Should -Be 'running'
    }

    It 'passes Info-ZIP unzip -t' {
        Assert-Tool unzip 'Debian: apt-get install unzip'
        $report = unzip -t $zip 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($report -join "`n")
        $report[-1] | Should -BeLike 'No errors detected in compressed data of *uploaded.zip.'
    }

    It 'shows Unix modes in zipinfo: files 0644, executables 0755, folders 0755' {
        Assert-Tool zipinfo 'Debian: apt-get install unzip'
        $listing = zipinfo $zip 2>&1
        $LASTEXITCODE | Should -Be 0
        $modes = @{}
        foreach ($line in $listing | Where-Object { $_ -match '^[-d][-rwxsStT]{9} ' }) {
            $fields = $line -split '\s+', 9
            $modes[$fields[8]] = "$($fields[0]) $($fields[2])"
        }
        $modes['main.py'] | Should -Be '-rw-r--r-- unx'
        $modes['run.sh'] | Should -Be '-rwxr-xr-x unx'
        $modes['lib/private.txt'] | Should -Be '-rw-r--r-- unx'
        $modes['lib/big.bin'] | Should -Be '-rw-r--r-- unx'
        $modes['models/weights.bin'] | Should -Be '-rw-r--r-- unx'
        $modes['lib/'] | Should -Be 'drwxr-xr-x unx'
        $modes['données/café.txt'] | Should -Be '-rw-r--r-- unx'
    }

    It 'deflates what shrinks and stores what does not, in zipinfo''s words' {
        Assert-Tool zipinfo 'Debian: apt-get install unzip'
        $methods = @{}
        foreach ($line in zipinfo $zip 2>&1 | Where-Object { $_ -match '^-[-rwx]{9} ' }) {
            $fields = $line -split '\s+', 9
            $methods[$fields[8]] = $fields[5]
        }
        $methods['lib/big.bin'] | Should -Be 'defN'
        $methods['main.py'] | Should -Be 'defN'
        $methods['models/weights.bin'] | Should -Be 'stor'
    }

    It 'carries an extended timestamp with the exact modified time' {
        Assert-Tool zipinfo 'Debian: apt-get install unzip'
        $details = (zipinfo -v $zip main.py 2>&1) -join "`n"
        $details | Should -Match 'subfield with ID 0x5455 \(universal time\)'
        $details | Should -Match ([regex]::Escape($written.ToUniversalTime().ToString('yyyy MMM d HH:mm:ss', [cultureinfo]::InvariantCulture)) + ' UTC')
    }

    It 'reads whole and as written in Python''s zipfile' {
        Assert-Tool python3 'Debian: apt-get install python3'
        $script = @'
import hashlib, json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    print(json.dumps({"bad": z.testzip(), "entries": [
        {"name": i.filename, "system": i.create_system, "mode": oct(i.external_attr >> 16), "size": i.file_size, "time": list(i.date_time)}
        for i in z.infolist()], "unicode": z.read("données/café.txt").decode("utf-8"),
        "weights": hashlib.sha256(z.read("models/weights.bin")).hexdigest()}))
'@
        $result = python3 -c $script $zip | ConvertFrom-Json
        $LASTEXITCODE | Should -Be 0
        $result.bad | Should -BeNullOrEmpty
        $result.unicode | Should -Be 'unicode'
        $entries = @{}
        $result.entries | ForEach-Object { $entries[$_.name] = $_ }
        $entries.Keys | Sort-Object | Should -Be (@('données/', 'données/café.txt', 'empty.txt', 'lib/', 'lib/big.bin', 'lib/private.txt', 'lib/util.py', 'main.py', 'models/', 'models/weights.bin', 'run.sh') | Sort-Object)
        $result.entries.system | Sort-Object -Unique | Should -Be 3
        $entries['run.sh'].mode | Should -Be '0o100755'
        $entries['main.py'].mode | Should -Be '0o100644'
        $entries['lib/'].mode | Should -Be '0o40755'
        $entries['lib/big.bin'].size | Should -Be 5MB
        $entries['models/weights.bin'].size | Should -Be (5MB + 123)
        $result.weights | Should -Be $weightsSha
        $entries['main.py'].time | Should -Be @(2025, 7, 14, 10, 30, 42)
    }

    It 'extracted by one user, can be read and run by another, unprivileged one' {
        Assert-Tool unzip 'Debian: apt-get install unzip'
        $dest = Join-Path $work 'by-root'
        unzip -q $zip -d $dest
        $LASTEXITCODE | Should -Be 0

        if ($isRoot) {
            Assert-Tool setpriv 'Debian: apt-get install util-linux'
            Invoke-Unprivileged cat (Join-Path $dest 'main.py') | Should -Be @('import kernel', "app = kernel.App('interop')")
            Invoke-Unprivileged cat (Join-Path $dest 'lib/private.txt') | Should -Be 'only the owner could read this here'
            Invoke-Unprivileged ls (Join-Path $dest 'lib') | Should -Be @('big.bin', 'private.txt', 'util.py')
            Invoke-Unprivileged (Join-Path $dest 'run.sh') | Should -Be 'ran'
            Invoke-Unprivileged cat (Join-Path $dest 'données/café.txt') | Should -Be 'unicode'
        }
        else {
            # Without root there is no other user to become; what another user may do is what "other" may do.
            $other = @{}
            foreach ($path in 'main.py', 'lib/private.txt', 'lib', 'run.sh', 'données/café.txt') {
                $other[$path] = [IO.File]::GetUnixFileMode((Join-Path $dest $path)) -band [IO.UnixFileMode]'OtherRead, OtherWrite, OtherExecute'
            }
            $other['main.py'] | Should -Be ([IO.UnixFileMode]::OtherRead)
            $other['lib/private.txt'] | Should -Be ([IO.UnixFileMode]::OtherRead)
            $other['lib'] | Should -Be ([IO.UnixFileMode]'OtherRead, OtherExecute')
            $other['run.sh'] | Should -Be ([IO.UnixFileMode]'OtherRead, OtherExecute')
            $other['données/café.txt'] | Should -Be ([IO.UnixFileMode]::OtherRead)
        }
    }

    It 'can be extracted and read by an unprivileged user' {
        Assert-Tool unzip 'Debian: apt-get install unzip'
        $dest = Join-Path $work 'by-nobody'
        New-Item -ItemType Directory $dest | Out-Null
        if ($isRoot) {
            Assert-Tool setpriv 'Debian: apt-get install util-linux'
            chown 65534:65534 $dest
        }

        $report = Invoke-Unprivileged unzip -q $zip -d $dest
        $LASTEXITCODE | Should -Be 0 -Because ($report -join "`n")
        Invoke-Unprivileged cat (Join-Path $dest 'lib/util.py') | Should -Be 'VALUE = 1'
        Invoke-Unprivileged (Join-Path $dest 'run.sh') | Should -Be 'ran'
    }
}
