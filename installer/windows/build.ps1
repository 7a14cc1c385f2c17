# Builds KeyShift for Windows: a trimmed runtime (jlink) and an .msi (jpackage).
# Not run by this project's CI, whose machines are Linux. Needs: JDK 17+ (JAVA_HOME), Maven, Python 3,
# and WiX Toolset 3 (candle.exe, light.exe) on PATH, as jpackage requires for --type msi.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")
$out = "target\installer"
$version = (Select-Xml -Path pom.xml -Namespace @{m="http://maven.apache.org/POM/4.0.0"} -XPath "/m:project/m:version").Node.InnerText

mvn -q -DskipTests package
Remove-Item -Recurse -Force $out -ErrorAction SilentlyContinue
New-Item -ItemType Directory -Force "$out\input" | Out-Null
Copy-Item target\keyshift.jar "$out\input\"
python installer\icon\make-icon.py "$out\keyshift.png"
# jpackage wants an .ico on Windows; without one it uses its default icon.

$modules = & "$env:JAVA_HOME\bin\jdeps" --ignore-missing-deps --print-module-deps --multi-release 17 target\keyshift.jar
$modules = "$modules,jdk.crypto.ec,jdk.naming.dns,jdk.unsupported,jdk.zipfs,java.naming,java.management,jdk.localedata"
& "$env:JAVA_HOME\bin\jlink" --add-modules $modules --strip-debug --no-header-files --no-man-pages --compress=2 --output "$out\runtime"

& "$env:JAVA_HOME\bin\jpackage" --type msi --name KeyShift --app-version $version --vendor KeyShift `
  --description "Moves MongoDB client-side field level encryption from a local master key to AWS KMS" `
  --input "$out\input" --main-jar keyshift.jar --main-class io.keyshift.Launcher --runtime-image "$out\runtime" `
  --win-menu --win-shortcut --win-dir-chooser --win-menu-group KeyShift --dest $out
Write-Host "Built $out\KeyShift-$version.msi"
