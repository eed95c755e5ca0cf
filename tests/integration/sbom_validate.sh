#!/usr/bin/env bash
# brig sbom: CycloneDX 1.5 validated with ajv against the official bom-1.5
# schema (+ the SPDX license-id and JSF schemas it references), as shipped by the
# @cyclonedx/cyclonedx-library npm package; SPDX 2.3 checked structurally (no npm
# package ships the SPDX 2.3 JSON schema) including every cross-reference.
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
if [ ! -f "$SCHEMAS/bom-1.5.SNAPSHOT.schema.json" ] || [ ! -d "$NPMDIR/node_modules/ajv-formats" ]; then
    mkdir -p "$NPMDIR"
    timeout 300 npm install --prefix "$NPMDIR" --no-audit --no-fund --omit=optional --ignore-scripts \
        ajv@8 ajv-formats@3 @cyclonedx/cyclonedx-library@6 >"$T_TMP/npm.log" 2>&1 || true
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

# --- SPDX 2.3: structural validation of everything the 2.3 schema requires ---
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
check "app SPDX 2.3 document is structurally valid" spdx_ok "$T_TMP/app.spdx.json"
check "alpine SPDX 2.3 document is structurally valid" spdx_ok "$T_TMP/alpine.spdx.json"
check "rpm SPDX 2.3 document is structurally valid" spdx_ok "$T_TMP/rpm.spdx.json"
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
