; Feltkonsulent's Windows installer: the PyInstaller onedir bundle (dist\feltkonsulent), for the
; current user only, so no administrator rights are needed. Danish or English, as Windows is.
;
; Build the bundle on Windows first (bash packaging/build.sh), then, from the checkout:
;
;     makensis /DVERSION=0.1.0 packaging\windows\feltkonsulent.nsi
;
; which writes dist\Feltkonsulent-0.1.0-setup.exe. Paths below are relative to this file.
; /DBUNDLE=... and /DOUTDIR=... point elsewhere. Saved as UTF-8 with a byte-order mark:
; makensis reads the Danish letters right only so.

Unicode true
SetCompressor /SOLID lzma
RequestExecutionLevel user
ManifestDPIAware true

!define APP_NAME "Feltkonsulent"
!define APP_ID "dk.feltkonsulent.Feltkonsulent"
!define PUBLISHER "Feltkonsulent"
!define /ifndef VERSION "0.1.0"
!define /ifndef NUMERIC_VERSION "${VERSION}.0"
!define /ifndef BUNDLE "..\..\dist\feltkonsulent"
!define /ifndef OUTDIR "..\..\dist"
!define ICON "..\..\resources\icons\feltkonsulent.ico"
!define MAIN_EXE "Feltkonsulent.exe"
!define CLI_EXE "feltkonsulent-cli.exe"
!define UNINSTALLER "uninstall.exe"
; Per user: the Apps list reads HKCU for programs installed without administrator rights.
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"

Name "${APP_NAME}"
OutFile "${OUTDIR}\${APP_NAME}-${VERSION}-setup.exe"
InstallDir "$LOCALAPPDATA\Programs\${APP_NAME}"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
ShowInstDetails hide
ShowUninstDetails hide

!include "MUI2.nsh"
!include "FileFunc.nsh"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${MAIN_EXE}"
!define MUI_UNCONFIRMPAGE_TEXT_TOP "$(KeepData)"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; English first: a Windows in neither language gets English. A Danish Windows gets Danish.
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "Danish"

LangString KeepData ${LANG_ENGLISH} "Feltkonsulent will be removed from this computer. Your data \
(the encrypted database in $LOCALAPPDATA\${APP_NAME}) is kept."
LangString KeepData ${LANG_DANISH} "Feltkonsulent fjernes fra denne computer. Dine data \
(den krypterede database i $LOCALAPPDATA\${APP_NAME}) bliver liggende."
LangString ShortcutComment ${LANG_ENGLISH} "Placements, buddies, language partners and aftercare visits"
LangString ShortcutComment ${LANG_DANISH} "Praktikker, mentorer, sprogmakkere og opfølgningsbesøg"

VIProductVersion "${NUMERIC_VERSION}"
VIFileVersion "${NUMERIC_VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileDescription" "${APP_NAME} Setup"
VIAddVersionKey /LANG=${LANG_ENGLISH} "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "LegalCopyright" "${PUBLISHER}"

Section "Feltkonsulent" SecMain
    SectionIn RO
    SetShellVarContext current
    ; An earlier version's library folder goes first, so no module removed since then lingers.
    ; _internal is PyInstaller's folder inside ours: nothing else of the user's lives there.
    RMDir /r "$INSTDIR\_internal"
    SetOutPath "$INSTDIR"
    File /r "${BUNDLE}\*.*"
    WriteUninstaller "$INSTDIR\${UNINSTALLER}"

    CreateShortcut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\${MAIN_EXE}" "" \
        "$INSTDIR\${MAIN_EXE}" 0 SW_SHOWNORMAL "" "$(ShortcutComment)"

    WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
    WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
    WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
    WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${MAIN_EXE},0"
    WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
    WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\${UNINSTALLER}"'
    WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTALLER}" /S'
    WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
    WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
    ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
    IntFmt $0 "0x%08X" $0
    WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" "$0"
SectionEnd

; Removes what the installer put there and nothing else: the folder itself goes only when it is
; empty (the user may have chosen one that holds other things), and the database and settings
; stay (they are the user's, kept in $LOCALAPPDATA\Feltkonsulent and the registry by the app).
Section "Uninstall"
    SetShellVarContext current
    Delete "$SMPROGRAMS\${APP_NAME}.lnk"
    Delete "$INSTDIR\${MAIN_EXE}"
    Delete "$INSTDIR\${CLI_EXE}"
    RMDir /r "$INSTDIR\_internal"
    Delete "$INSTDIR\${UNINSTALLER}"
    RMDir "$INSTDIR"
    DeleteRegKey HKCU "${UNINSTALL_KEY}"
SectionEnd
