#!/usr/bin/env bash
# brig sbom: CycloneDX 1.5 validated with ajv against the official bom-1.5
# schema (+ the SPDX license-id and JSF schemas it references), as shipped by the
# @cyclonedx/cyclonedx-library npm package.
# SPDX 2.3: no Debian or npm package ships the official SPDX 2.3 JSON schema, so
# every SPDX document brig writes here (app, alpine, rpm, the Debian base image,
# the rpm bdb/ndb images when the fixtures have them, a docker-archive input,
# scan -f spdx-json, and a dir: image whose license metadata does not map to SPDX
# ids word by word) is validated with ajv (strict mode, ajv-formats) against
# tests/fixtures/spdx-2.3.schema.json: our draft-07 transcription of the SPDX 2.3
# specification (clauses 6-12, Annexes D and F; its $comment says which clause
# each rule comes from).  On top of the schema, every license expression is parsed
# with spdx-expression-parse against the SPDX License List (spdx-license-ids,
# spdx-exceptions), and jq checks what a schema cannot: unique SPDXIDs,
# relationship targets, LicenseRef definitions.  A document using every optional
# SPDX 2.3 section must validate, and broken documents (missing mandatory field,
# bad SPDXID, misspelt field, unknown relationshipType, wrong checksum length, ...)
# must fail, which shows the schema is strict enough to catch them.
. "$(dirname "$0")/../lib.sh"
need_fixtures
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/fixtures/build-scan.sh" >&2 || { not_ok "scan fixtures could not be built"; exit 1; }
S=$FIXTURES/scan
NPMDIR=${BRIG_NPM_CACHE:-/var/cache/brig-npm}
SCHEMAS=$NPMDIR/node_modules/@cyclonedx/cyclonedx-library/res/schema

check_out "sbom --help documents formats and exit codes" 'spdx-json' "$BRIG" sbom --help
check_fails "sbom rejects an unknown format" 2 "unknown SBOM format" "$BRIG" sbom -f xml "$S/app-oci"
check_fails "sbom of a missing image exits 3" 3 "." "$BRIG" sbom "$T_TMP/nope"

export SOURCE_DATE_EPOCH=1700000000
check "cyclonedx sbom written with -o" "$BRIG" sbom -f cyclonedx -o "$T_TMP/app.cdx.json" "$S/app-oci"
check "spdx sbom written with -o" "$BRIG" sbom -f spdx-json -o "$T_TMP/app.spdx.json" "$S/app-oci"
check "alpine cyclonedx sbom" "$BRIG" sbom -o "$T_TMP/alpine.cdx.json" "$S/alpine-oci"
check "alpine spdx sbom" "$BRIG" sbom -f spdx -o "$T_TMP/alpine.spdx.json" "$S/alpine-oci"
check "rpm cyclonedx sbom" "$BRIG" sbom -o "$T_TMP/rpm.cdx.json" "$S/rpm-oci"
check "rpm spdx sbom" "$BRIG" sbom -f spdx-json -o "$T_TMP/rpm.spdx.json" "$S/rpm-oci"

# --- CycloneDX: real schema validation with ajv ---
if [ ! -f "$SCHEMAS/bom-1.5.SNAPSHOT.schema.json" ] || [ ! -d "$NPMDIR/node_modules/ajv-formats" ] \
   || [ ! -d "$NPMDIR/node_modules/spdx-expression-parse" ]; then
    mkdir -p "$NPMDIR"
    timeout 300 npm install --prefix "$NPMDIR" --no-audit --no-fund --omit=optional --ignore-scripts \
        ajv@8 ajv-formats@3 @cyclonedx/cyclonedx-library@6 spdx-expression-parse@4 >"$T_TMP/npm.log" 2>&1 || true
fi
if [ -f "$SCHEMAS/bom-1.5.SNAPSHOT.schema.json" ] && command -v node >/dev/null; then
    cat >"$T_TMP/validate.js" <<'JS'
const fs = require('fs');
const Ajv = require('ajv');
const addFormats = require('ajv-formats');
const [schemaDir, docPath] = process.argv.slice(2);
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
// CycloneDX uses the IRI/IDN variants; our documents are ASCII, so the URI/email checks apply as is.
ajv.addFormat('iri-reference', addFormats.get('uri-reference'));
ajv.addFormat('idn-email', addFormats.get('email'));
// bom-1.5 refers to its siblings by file name: register them under those URIs.
for (const f of ['spdx.SNAPSHOT.schema.json', 'jsf-0.82.SNAPSHOT.schema.json']) {
  const s = JSON.parse(fs.readFileSync(schemaDir + '/' + f));
  delete s.$id;
  ajv.addSchema(s, 'http://cyclonedx.org/schema/' + f);
}
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaDir + '/bom-1.5.SNAPSHOT.schema.json')));
const doc = JSON.parse(fs.readFileSync(docPath));
if (!validate(doc)) { console.log(JSON.stringify(validate.errors.slice(0, 10), null, 1)); process.exit(1); }
console.log('valid');
JS
    v() { NODE_PATH=$NPMDIR/node_modules node "$T_TMP/validate.js" "$SCHEMAS" "$1"; }
    check_out "app CycloneDX validates against bom-1.5 schema" '^valid$' v "$T_TMP/app.cdx.json"
    check_out "alpine CycloneDX validates against bom-1.5 schema" '^valid$' v "$T_TMP/alpine.cdx.json"
    check_out "rpm CycloneDX validates against bom-1.5 schema" '^valid$' v "$T_TMP/rpm.cdx.json"
    jq 'del(.bomFormat) | .components[0].type = "gadget"' "$T_TMP/app.cdx.json" >"$T_TMP/broken.cdx.json"
    check_fails "the validator rejects a broken CycloneDX document" 1 "bomFormat|enum" v "$T_TMP/broken.cdx.json"
    # scan --format cyclonedx adds vulnerabilities; it must validate as well
    if [ -d "${VULNDATA:-$here/../../shared/vulndata}" ]; then
        "$BRIG" db import --db "$T_TMP/vuln.db" "${VULNDATA:-$here/../../shared/vulndata}" >/dev/null 2>&1
        "$BRIG" scan --scanners vuln --db "$T_TMP/vuln.db" -f cyclonedx -o "$T_TMP/scan.cdx.json" "$S/alpine-oci"
        check_out "scan -f cyclonedx (with vulnerabilities) validates" '^valid$' v "$T_TMP/scan.cdx.json"
        check "scan -f cyclonedx lists CVE-2019-14697 affecting musl" \
            jq -e '.vulnerabilities[] | select(.id=="CVE-2019-14697") | .affects[0].ref | test("pkg:apk/alpine/musl@1.1.22-r2")' "$T_TMP/scan.cdx.json"
    else
        skip "scan -f cyclonedx validates (no shared/vulndata)"
        skip "scan -f cyclonedx lists CVE-2019-14697 (no shared/vulndata)"
    fi
else
    for n in "app CycloneDX validates" "alpine CycloneDX validates" "rpm CycloneDX validates" "validator rejects broken" "scan cyclonedx validates" "scan cyclonedx lists CVE"; do
        skip "$n (npm packages ajv/@cyclonedx/cyclonedx-library not installable)"
    done
fi

# --- CycloneDX content ---
check "cyclonedx: metadata.component is the container image" \
    jq -e '.metadata.component.type == "container" and (.metadata.component.version | startswith("sha256:"))' "$T_TMP/app.cdx.json"
check "cyclonedx: bom-refs are unique" jq -e '[.components[]."bom-ref"] | length == (unique | length)' "$T_TMP/app.cdx.json"
check "cyclonedx: bash has a deb purl with distro and a GPL license id" \
    jq -e '.components[] | select(.name=="bash") | (.purl | test("^pkg:deb/debian/bash@.*distro=debian-12")) and ([.licenses[].license.id] | index("GPL-3.0-or-later") != null)' "$T_TMP/app.cdx.json"
check "cyclonedx: maven component has group and nested-jar path" \
    jq -e '.components[] | select(.name=="log4j-core") | .group == "org.apache.logging.log4j" and (.properties[] | select(.name=="brig:package:path") | .value | test("app.jar!BOOT-INF/lib/log4j-core"))' "$T_TMP/app.cdx.json"
check "cyclonedx: timestamp honours SOURCE_DATE_EPOCH" jq -e '.metadata.timestamp == "2023-11-14T22:13:20Z"' "$T_TMP/app.cdx.json"

# --- SPDX 2.3: every document brig writes ---
# Besides app/alpine/rpm above: the Debian base image, the rpm bdb/ndb images when
# build-scan.sh made them, a docker-archive input and scan -f spdx-json.
spdx_docs="app alpine rpm"
for pair in "debian $FIXTURES/debian-oci" "rpm-bdb $S/rpm-bdb-oci" "rpm-ndb $S/rpm-ndb-oci" "docker-archive $S/app.docker.tar"; do
    read -r d img <<<"$pair"
    if [ -e "$img" ]; then
        check "$d spdx sbom" "$BRIG" sbom -f spdx-json -o "$T_TMP/$d.spdx.json" "$img"
        [ -s "$T_TMP/$d.spdx.json" ] && spdx_docs="$spdx_docs $d"
    else
        skip "$d spdx sbom ($img not built)"
    fi
done
check "scan -f spdx-json writes an SPDX document" "$BRIG" scan --scanners secret -f spdx-json -o "$T_TMP/scan.spdx.json" "$S/alpine-oci"
spdx_docs="$spdx_docs scan"
# A dir: image whose license metadata brig cannot map to SPDX ids word by word:
# RPM's "GPLv3+ with exceptions", a WITH whose right side is no exception id or
# follows a group, a bare exception id, and a name and license that are not UTF-8.
# Each such string must become one LicenseRef (Annex D, clause 10).
L=$T_TMP/licroot
mkdir -p "$L/lib/apk/db" "$L/etc"
printf 'ID=alpine\nVERSION_ID=3.19.0\n' >"$L/etc/os-release"
{
    printf 'P:libgcc\nV:13.2.1-r0\nA:x86_64\nL:GPLv3+ and GPLv3+ with exceptions and GPLv2+ with exceptions and LGPLv2+ and BSD\n\n'
    printf 'P:autoconfish\nV:1.0-r0\nA:x86_64\nL:GPL-2.0-or-later WITH Autoconf-exception\n\n'
    printf 'P:sslwrap\nV:1.0-r0\nA:x86_64\nL:GPL-2.0-only with OpenSSL\n\n'
    printf 'P:grouped\nV:1.0-r0\nA:x86_64\nL:(MIT OR Apache-2.0) WITH LLVM-exception\n\n'
    printf 'P:gccrt\nV:1.0-r0\nA:x86_64\nL:GCC-exception-3.1\n\n'
    printf 'P:llvmish\nV:1.0-r0\nA:x86_64\nL:Apache-2.0 WITH LLVM-exception\n\n'
    printf 'P:caf\351\nV:1.0-r0\nA:x86_64\nL:Licen\347e Libre\n\n'
} >"$L/lib/apk/db/installed"
check "spdx sbom of a dir: image with awkward license metadata" "$BRIG" sbom -f spdx-json -o "$T_TMP/licenses.spdx.json" "dir:$L"
spdx_docs="$spdx_docs licenses"
lic() { jq -r --arg n "$1" '.packages[] | select(.name == $n) | .licenseDeclared' "$T_TMP/licenses.spdx.json"; }
check "spdx: 'GPLv3+ with exceptions' (RPM) is kept whole as a LicenseRef with its text" \
    jq -e --arg l "$(lic libgcc)" '($l | startswith("LicenseRef-")) and any(.hasExtractedLicensingInfos[]; .licenseId == $l and .name == "GPLv3+ and GPLv3+ with exceptions and GPLv2+ with exceptions and LGPLv2+ and BSD")' "$T_TMP/licenses.spdx.json"
check "spdx: WITH a non-exception, WITH after a group, a bare exception id each become a LicenseRef" \
    bash -c "for p in autoconfish sslwrap grouped gccrt; do jq -e --arg p \$p '.packages[] | select(.name == \$p) | .licenseDeclared | startswith(\"LicenseRef-\")' '$T_TMP/licenses.spdx.json' >/dev/null || { echo \$p; exit 1; }; done"
check "spdx: a valid 'license WITH exception' expression is kept" test "$(lic llvmish)" = "Apache-2.0 WITH LLVM-exception"
check "spdx: no LicenseRef is left without a use" \
    jq -e '[.packages[].licenseDeclared // empty | scan("LicenseRef-[A-Za-z0-9.-]+")] as $used | all(.hasExtractedLicensingInfos[]; .licenseId as $l | $used | index($l) != null)' "$T_TMP/licenses.spdx.json"
check "spdx: a package name that is not UTF-8 is written, not dropped (7.1 name is mandatory)" \
    jq -e 'any(.packages[]; .name == "caf?") and all(.packages[]; has("name"))' "$T_TMP/licenses.spdx.json"
SOURCE_DATE_EPOCH=99999999999999 "$BRIG" sbom -f spdx-json -o "$T_TMP/epoch.spdx.json" "dir:$L" 2>/dev/null
spdx_docs="$spdx_docs epoch"
check "spdx: a SOURCE_DATE_EPOCH past year 9999 is ignored, created stays YYYY-MM-DDThh:mm:ssZ" \
    jq -e '.creationInfo.created | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$")' "$T_TMP/epoch.spdx.json"

# --- SPDX 2.3: ajv against our transcription of the specification ---
SPDX_SCHEMA=$here/fixtures/spdx-2.3.schema.json
if command -v node >/dev/null && [ -d "$NPMDIR/node_modules/ajv" ] && [ -d "$NPMDIR/node_modules/ajv-formats" ]; then
    cat >"$T_TMP/spdx-validate.js" <<'JS'
// node spdx-validate.js SCHEMA DOC [--licenses]: "valid", or one line per error and exit 1.
const fs = require('fs');
const Ajv = require('ajv');
const addFormats = require('ajv-formats');
const [schemaPath, docPath, mode] = process.argv.slice(2);
// strict: a keyword the schema misuses is an error, not silently ignored
const ajv = new Ajv({ strict: true, allErrors: true, verbose: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath)));
const doc = JSON.parse(fs.readFileSync(docPath));
if (!validate(doc)) {
  const show = v => JSON.stringify(v).slice(0, 80);
  for (const e of validate.errors.slice(0, 20)) {
    const p = e.instancePath || '/';
    if (e.keyword === 'additionalProperties') console.log(`${p} additionalProperties: ${e.params.additionalProperty}`);
    else if (e.keyword === 'required') console.log(`${p} required: ${e.params.missingProperty}`);
    else if (e.keyword === 'pattern' || e.keyword === 'enum' || e.keyword === 'const' || e.keyword === 'format')
      console.log(`${p} ${e.keyword}: ${show(e.data)} is not allowed`);
    else console.log(`${p} ${e.keyword}: ${e.message}`);
  }
  process.exit(1);
}
if (mode !== '--licenses') { console.log('valid'); process.exit(0); }
// Annex D beyond a regular expression: each expression parses (balanced parentheses,
// WITH takes an exception), each id is on the SPDX License List, each LicenseRef is
// defined in hasExtractedLicensingInfos (clause 10).
const parse = require('spdx-expression-parse');
const defined = new Set((doc.hasExtractedLicensingInfos || []).map(l => l.licenseId));
const refs = t => t.license ? (t.license.startsWith('LicenseRef-') ? [t] : []) : [...refs(t.left), ...refs(t.right)];
let n = 0; const bad = [];
const check = (where, e) => {
  if (e === 'NONE' || e === 'NOASSERTION') return;
  n++;
  try {
    for (const r of refs(parse(e)))
      if (!r.documentRef && !defined.has(r.license)) bad.push(`${where}: ${r.license} is not in hasExtractedLicensingInfos`);
  } catch (err) { bad.push(`${where}: '${e}': ${err.message}`); }
};
for (const [kind, fields] of [['packages', ['licenseConcluded', 'licenseDeclared', 'licenseInfoFromFiles']],
                              ['files', ['licenseConcluded', 'licenseInfoInFiles']],
                              ['snippets', ['licenseConcluded', 'licenseInfoInSnippets']]])
  (doc[kind] || []).forEach((el, i) => {
    for (const f of fields) if (el[f] !== undefined) [].concat(el[f]).forEach(e => check(`/${kind}/${i}/${f}`, e));
  });
if (bad.length) { console.log(bad.slice(0, 20).join('\n')); process.exit(1); }
console.log(`licenses valid (${n} expressions)`);
JS
    sv() { NODE_PATH=$NPMDIR/node_modules node "$T_TMP/spdx-validate.js" "$SPDX_SCHEMA" "$@"; }
    have_parse=; [ -d "$NPMDIR/node_modules/spdx-expression-parse" ] && have_parse=1
    for d in $spdx_docs; do
        check_out "$d SPDX document validates against the SPDX 2.3 schema" '^valid$' sv "$T_TMP/$d.spdx.json"
        if [ -n "$have_parse" ]; then
            check_out "$d SPDX license expressions parse against the SPDX License List" '^licenses valid' sv "$T_TMP/$d.spdx.json" --licenses
        else
            skip "$d SPDX license expressions (npm package spdx-expression-parse not installable)"
        fi
    done

    # Every optional SPDX 2.3 part (files, snippets, annotations, external document
    # refs, a package with its files analysed, all reference categories) added to a
    # brig document must still validate: the schema is strict, not narrower than 2.3.
    jq '.documentDescribes = ["SPDXRef-Image"] | .comment = "every optional part"
      | .creationInfo += {licenseListVersion: "3.21", comment: "c",
                          creators: (.creationInfo.creators + ["Person: Jane Doe (jane@example.com)", "Organization: Example ()"])}
      | .externalDocumentRefs = [{externalDocumentId: "DocumentRef-base", spdxDocument: "https://example.com/spdxdocs/base-1",
                                  checksum: {algorithm: "SHA1", checksumValue: "d6a770ba38583ed4bb4525bd96e50461655d2759"}}]
      | .annotations = [{annotator: "Tool: reviewer-1.0", annotationDate: "2023-11-14T22:13:20Z", annotationType: "REVIEW", comment: "ok"}]
      | .packages += [{SPDXID: "SPDXRef-Src", name: "src", versionInfo: "1.0", packageFileName: "src-1.0.tar.gz",
          supplier: "Organization: Example (x@example.com)", originator: "NOASSERTION",
          downloadLocation: "git+https://git.example.com/src.git@v1.0#lib", filesAnalyzed: true,
          packageVerificationCode: {packageVerificationCodeValue: "d6a770ba38583ed4bb4525bd96e50461655d2758",
                                    packageVerificationCodeExcludedFiles: ["./package.spdx"]},
          checksums: [{algorithm: "SHA3-512", checksumValue: ("ab" * 64)}, {algorithm: "BLAKE2b-256", checksumValue: ("0f" * 32)},
                      {algorithm: "ADLER32", checksumValue: "0a1b2c3d"}, {algorithm: "MD5", checksumValue: "624c1abb3664f4b35547e7c73864ad24"}],
          homepage: "https://example.com", sourceInfo: "s", licenseConcluded: "(MIT OR Apache-2.0) AND LicenseRef-Custom",
          licenseInfoFromFiles: ["MIT", "LicenseRef-Custom"], licenseDeclared: "MIT OR Apache-2.0", licenseComments: "l",
          copyrightText: "Copyright 2024 Example", summary: "s", description: "d", comment: "c", attributionTexts: ["a"],
          externalRefs: [
            {referenceCategory: "SECURITY", referenceType: "cpe23Type", referenceLocator: "cpe:2.3:a:example:src:1.0:*:*:*:*:*:*:*"},
            {referenceCategory: "SECURITY", referenceType: "advisory", referenceLocator: "https://nvd.nist.gov/vuln/detail/CVE-2020-28498"},
            {referenceCategory: "PERSISTENT-ID", referenceType: "swh", referenceLocator: "swh:1:cnt:94a9ed024d3859793618152ea559a168bbcbb5e2"},
            {referenceCategory: "PACKAGE_MANAGER", referenceType: "npm", referenceLocator: "http-server@0.3.0", comment: "c"},
            {referenceCategory: "OTHER", referenceType: "LocationRef-acmeforge", referenceLocator: "acmecorp/acmenator/4.1.3-alpha"}],
          primaryPackagePurpose: "SOURCE", releaseDate: "2023-01-01T00:00:00Z", builtDate: "2023-01-02T00:00:00Z",
          validUntilDate: "2030-01-01T00:00:00Z", hasFiles: ["SPDXRef-File-1"],
          annotations: [{annotator: "Person: Jane Doe", annotationDate: "2023-11-14T22:13:20Z", annotationType: "OTHER", comment: "c"}]}]
      | .files = [{SPDXID: "SPDXRef-File-1", fileName: "./src/main.c", fileTypes: ["SOURCE", "TEXT"],
          checksums: [{algorithm: "SHA1", checksumValue: "d6a770ba38583ed4bb4525bd96e50461655d2758"}, {algorithm: "SHA256", checksumValue: ("11" * 32)}],
          licenseConcluded: "MIT", licenseInfoInFiles: ["MIT", "NOASSERTION"], copyrightText: "NONE", comment: "c", noticeText: "n",
          fileContributors: ["Jane Doe"], attributionTexts: ["a"], licenseComments: "l"}]
      | .snippets = [{SPDXID: "SPDXRef-Snippet-1", snippetFromFile: "SPDXRef-File-1",
          ranges: [{startPointer: {reference: "SPDXRef-File-1", offset: 310}, endPointer: {reference: "SPDXRef-File-1", offset: 420}},
                   {startPointer: {reference: "SPDXRef-File-1", lineNumber: 5}, endPointer: {reference: "SPDXRef-File-1", lineNumber: 23}}],
          licenseConcluded: "GPL-2.0-only WITH Linux-syscall-note", licenseInfoInSnippets: ["GPL-2.0-only"], copyrightText: "NOASSERTION",
          name: "from the kernel", comment: "c", attributionTexts: ["a"]}]
      | .hasExtractedLicensingInfos += [{licenseId: "LicenseRef-Custom", extractedText: "Custom terms.", name: "Custom",
                                         seeAlsos: ["https://example.com/license"], comment: "c"}]
      | .relationships += [
          {spdxElementId: "SPDXRef-Image", relationshipType: "CONTAINS", relatedSpdxElement: "SPDXRef-Src"},
          {spdxElementId: "SPDXRef-Src", relationshipType: "CONTAINS", relatedSpdxElement: "SPDXRef-File-1"},
          {spdxElementId: "SPDXRef-Snippet-1", relationshipType: "GENERATED_FROM", relatedSpdxElement: "NOASSERTION", comment: "c"},
          {spdxElementId: "SPDXRef-Src", relationshipType: "DEPENDS_ON", relatedSpdxElement: "NONE"},
          {spdxElementId: "SPDXRef-DOCUMENT", relationshipType: "AMENDS", relatedSpdxElement: "DocumentRef-base:SPDXRef-DOCUMENT"},
          {spdxElementId: "SPDXRef-File-1", relationshipType: "SPECIFICATION_FOR", relatedSpdxElement: "DocumentRef-base:SPDXRef-Lib"}]' \
        "$T_TMP/app.spdx.json" >"$T_TMP/full.spdx.json"
    check_out "a document using every optional SPDX 2.3 section validates" '^valid$' sv "$T_TMP/full.spdx.json"
    [ -n "$have_parse" ] && check_out "its license expressions parse" '^licenses valid' sv "$T_TMP/full.spdx.json" --licenses

    # The schema bites: each broken document fails for the reason it was broken.
    neg() {  # NAME PATTERN JQ-FILTER [BASE] [--licenses]
        jq "$3" "$T_TMP/${4:-app}.spdx.json" >"$T_TMP/neg.spdx.json" || { not_ok "$1 (jq)"; return; }
        check_fails "schema rejects $1" 1 "$2" sv "$T_TMP/neg.spdx.json" ${5:-}
    }
    neg "a document without created (6.9, mandatory)" '^/creationInfo required: created$' 'del(.creationInfo.created)'
    neg "a document without documentNamespace (6.5, mandatory)" '^/ required: documentNamespace$' 'del(.documentNamespace)'
    neg "a package without downloadLocation (7.7, mandatory)" '^/packages/2 required: downloadLocation$' 'del(.packages[2].downloadLocation)'
    neg "a bad SPDXID (7.2: letters, digits, . and - only)" '^/packages/2/SPDXID pattern:' '.packages[2].SPDXID = "SPDXRef-Package_3"'
    neg "a misspelt package field" '^/packages/2 additionalProperties: licenceDeclared$' \
        '.packages[2] |= (.licenceDeclared = .licenseDeclared | del(.licenseDeclared))'
    neg "a misspelt document field" '^/ additionalProperties: documentNameSpace$' '.documentNameSpace = .documentNamespace | del(.documentNamespace)'
    neg "an unknown relationshipType (Table 68)" '^/relationships/1/relationshipType enum:' '.relationships[1].relationshipType = "CONTAINED"'
    neg "a SHA256 checksum one digit short (7.10)" '^/packages/0/checksums/0/checksumValue pattern:' '.packages[0].checksums[0].checksumValue |= .[1:]'
    neg "an upper-case hex checksum (7.10)" '^/packages/0/checksums/0/checksumValue pattern:' '.packages[0].checksums[0].checksumValue |= ascii_upcase'
    neg "created with a UTC offset (6.9)" '^/creationInfo/created pattern:' '.creationInfo.created = "2023-11-14T22:13:20+00:00"'
    neg "a creator without Person:/Organization:/Tool: (6.8)" '^/creationInfo/creators/0 pattern:' '.creationInfo.creators = ["brig-0.1.0"]'
    neg "a documentNamespace with a # part (6.5)" '^/documentNamespace pattern:' '.documentNamespace += "#x"'
    neg "a downloadLocation without a scheme (7.7)" '^/packages/2/downloadLocation pattern:' '.packages[2].downloadLocation = "example.com/a.tar.gz"'
    neg "a verification code on a package with filesAnalyzed false (7.9)" '^/packages/2/packageVerificationCode false schema' \
        '.packages[2].packageVerificationCode = {packageVerificationCodeValue: "d6a770ba38583ed4bb4525bd96e50461655d2758"}'
    neg "primaryPackagePurpose OPERATING_SYSTEM (7.24 spells OPERATING-SYSTEM)" '^/packages/1/primaryPackagePurpose enum:' \
        '.packages[1].primaryPackagePurpose = "OPERATING_SYSTEM"'
    neg "a purl filed under SECURITY (Annex F)" '^/packages/2/externalRefs/0/referenceType enum:' '.packages[2].externalRefs[0].referenceCategory = "SECURITY"'
    neg "a lower-case license operator (Annex D.2)" '^/packages/2/licenseDeclared pattern:' '.packages[2].licenseDeclared = "MIT and GPL-2.0-only"'
    neg "DESCRIBES from a package (Table 68)" '^/relationships/1/spdxElementId pattern:' '.relationships[1].relationshipType = "DESCRIBES"'
    neg "a file without its SHA1 checksum (8.4)" '^/files/0/checksums contains:' '.files[0].checksums |= map(select(.algorithm != "SHA1"))' full
    neg "a snippet without a byte range (9.3)" '^/snippets/0/ranges contains:' '.snippets[0].ranges |= map(select(.startPointer.lineNumber))' full
    neg "an annotation without its comment (12.5)" '^/annotations/0 required: comment$' 'del(.annotations[0].comment)' full
    if [ -n "$have_parse" ]; then
        neg "a license id that is not on the SPDX License List" "Foo-1.0|Unexpected" '.packages[2].licenseDeclared = "MIT AND Foo-1.0"' app --licenses
        neg "WITH followed by a license, not an exception" "Expected exception" '.packages[2].licenseDeclared = "GPL-2.0-only WITH MIT"' app --licenses
        neg "unbalanced parentheses" "Expected" '.packages[2].licenseDeclared = "(MIT AND GPL-2.0-only"' app --licenses
    fi
else
    for n in "SPDX documents validate" "SPDX license expressions parse" "full SPDX document validates" "broken SPDX documents fail"; do
        skip "$n (node or npm packages ajv/ajv-formats not available)"
    done
fi

# --- SPDX 2.3: what no schema checks (identifiers, cross-references) ---
spdx_ok() {
    jq -e '
      .spdxVersion == "SPDX-2.3" and .dataLicense == "CC0-1.0" and .SPDXID == "SPDXRef-DOCUMENT"
      and (.name | type == "string") and (.documentNamespace | test("^https?://[^#]+$"))
      and (.creationInfo.created | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"))
      and (.creationInfo.creators | length > 0 and all(test("^(Tool|Organization|Person): ")))
      and (.packages | length > 0)
      and all(.packages[]; (.SPDXID | test("^SPDXRef-[A-Za-z0-9.-]+$")) and (.name | type == "string")
              and (.downloadLocation | type == "string") and (has("filesAnalyzed")))
      and ([.packages[].SPDXID] | length == (unique | length))
      and ([.packages[].SPDXID] as $ids | all(.relationships[]; (.spdxElementId as $a | ($ids + ["SPDXRef-DOCUMENT"]) | index($a) != null)
              and (.relatedSpdxElement as $b | $ids | index($b) != null)))
      and ([.relationships[] | select(.relationshipType == "DESCRIBES")] | length == 1)
      and all(.packages[].externalRefs[]?; .referenceCategory == "PACKAGE-MANAGER" and .referenceType == "purl" and (.referenceLocator | startswith("pkg:")))
      and ([.hasExtractedLicensingInfos[]?.licenseId] as $refs |
           all(.packages[].licenseDeclared? // "NOASSERTION"; [scan("LicenseRef-[A-Za-z0-9.-]+")] | all(. as $r | $refs | index($r) != null)))
    ' "$1" >/dev/null
}
for d in $spdx_docs; do
    check "$d SPDX 2.3 document is structurally valid" spdx_ok "$T_TMP/$d.spdx.json"
done
jq '.relationships += [{"spdxElementId":"SPDXRef-Image","relationshipType":"CONTAINS","relatedSpdxElement":"SPDXRef-Nope"}]' \
    "$T_TMP/app.spdx.json" >"$T_TMP/broken.spdx.json"
check_fails "the SPDX check rejects a dangling relationship" 1 "" spdx_ok "$T_TMP/broken.spdx.json"
check "spdx: every inventoried package is CONTAINed by the image" \
    jq -e '([.packages[] | select(.SPDXID | startswith("SPDXRef-Package-"))] | length) == ([.relationships[] | select(.relationshipType=="CONTAINS" and (.relatedSpdxElement | startswith("SPDXRef-Package-")))] | length)' "$T_TMP/app.spdx.json"
check "spdx: apk license mapped (musl -> MIT)" \
    jq -e '.packages[] | select(.name=="musl") | .licenseDeclared == "MIT"' "$T_TMP/alpine.spdx.json"
n_sbom=$(jq '[.packages[] | select(.SPDXID | startswith("SPDXRef-Package-"))] | length' "$T_TMP/app.spdx.json")
n_scan=$("$BRIG" scan --list-packages -f json "$S/app-oci" | jq '.packages | length')
check "spdx and scan --list-packages agree on the package count ($n_sbom)" test "$n_sbom" = "$n_scan"
