// Package ftmrole is the one place that says how a FollowTheMoney
// relationship's role maps to our relationship types, so that the FtM
// importer (loader/ftm) and exporter (export) read and write roles the same
// way. It imports only the domain.
//
// FtM has schemas for some of our types only. Our export writes the others
// as an UnknownLink whose role is "TYPE" or "TYPE: role"; the importer reads
// them back with UnknownLinkType.
package ftmrole

import (
	"strings"

	"github.com/allegiance/allegiance/network"
)

// Typed splits a role of the form "TYPE" or "TYPE: role", where TYPE is one
// of network.RelTypes; ok is false for any other role.
func Typed(role string) (t network.RelType, rest string, ok bool) {
	for _, t := range network.RelTypes {
		if role == string(t) {
			return t, "", true
		}
		if strings.HasPrefix(role, string(t)+": ") {
			return t, role[len(t)+2:], true
		}
	}
	return "", "", false
}

// UnknownLinkType is the type and Role of an UnknownLink with role: the
// typed form when the role has one, else ASSOCIATED_WITH with the role as
// it is.
func UnknownLinkType(role string) (network.RelType, string) {
	if t, rest, ok := Typed(role); ok {
		return t, rest
	}
	return network.AssociatedWith, role
}

// SuccessionType is the type and Role of a Succession with role and
// summary: MERGED_INTO or RENAMED_TO when the role is typed so, RENAMED_TO
// when the role (or, without one, the summary) speaks of a renaming, and
// MERGED_INTO otherwise.
func SuccessionType(role, summary string) (network.RelType, string) {
	if t, rest, ok := Typed(role); ok && (t == network.MergedInto || t == network.RenamedTo) {
		return t, rest
	}
	text := role
	if text == "" {
		text = summary
	}
	if strings.Contains(strings.ToLower(text), "renam") {
		return network.RenamedTo, role
	}
	return network.MergedInto, role
}
