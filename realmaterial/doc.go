// Package realmaterial holds the real-material regression set: a test that
// scans public packages nobody on this team wrote (Japanese man pages and
// documentation, IME and morphological dictionaries, translation
// catalogues, fake-data generators, OSS trees with AUTHORS and ChangeLog),
// fetched and cached by scripts/fetch-real-material.sh, and asserts that no
// file in them rates above low. Nothing of that material is committed.
package realmaterial
