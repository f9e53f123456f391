// Package unsc imports the UN Security Council consolidated sanctions list
// (https://scsanctions.un.org/resources/xml/en/consolidated.xml) into a
// network.Dataset, and reconciles a reloaded list with what a store holds.
//
// # Reading
//
// Read streams the XML with encoding/xml, one INDIVIDUAL or ENTITY at a
// time. Malformed or truncated XML, bytes that are not UTF-8 (or another
// declared encoding), a record without REFERENCE_NUMBER, DATAID or name, a
// malformed or duplicate reference number, an unknown TYPE_OF_DATE and a
// malformed date make it return a *loader.ValidationError whose problems
// name the file, the line and the field ("INDIVIDUAL/REFERENCE_NUMBER",
// "INDIVIDUAL/INDIVIDUAL_DATE_OF_BIRTH/DATE", …), and nothing else.
//
// # Records
//
//   - INDIVIDUAL is a network.Person, ENTITY a network.Organization, with id
//     "un-" + the reference in lower case, dots as dashes: QDi.316 is
//     "un-qdi-316".
//   - Name: FIRST_NAME … FOURTH_NAME joined by single spaces (entities:
//     FIRST_NAME). NAME_ORIGINAL_SCRIPT: OriginalScriptNames.
//   - Identifiers: unsc-ref (REFERENCE_NUMBER) and unsc-dataid (DATAID).
//     Topics: "sanction".
//   - Aliases by QUALITY: "Good", "a.k.a." (and an unqualified name) are
//     Aliases, "Low" WeakAliases, "f.k.a." PreviousNames. Empty names are
//     dropped, repeats removed, order kept. An alias NOTE becomes a note
//     "alias NAME: NOTE".
//   - Birth: each INDIVIDUAL_DATE_OF_BIRTH is a DateOfBirth of its
//     TYPE_OF_DATE (EXACT and APPROXIMATELY take DATE or YEAR, BETWEEN
//     takes FROM_YEAR and TO_YEAR; NOTE is kept; an entry with no type and
//     no date is a placeholder and dropped). Born is the first EXACT one
//     with a date. An alias's own DATE_OF_BIRTH ("YYYY-MM-DD" or "YYYY":
//     EXACT, "YYYY - YYYY": BETWEEN, "null": none) follows with Alias set to
//     the alias's name (empty for the list's unnamed alias entries, which
//     carry alternative dates of the main identity). Places of birth are
//     STREET, CITY, STATE_PROVINCE, COUNTRY, NOTE joined by ", "; an alias's
//     CITY_OF_BIRTH and COUNTRY_OF_BIRTH give "City, Country (alias: NAME)".
//   - NATIONALITY/VALUE: Nationality. Addresses: STREET, CITY,
//     STATE_PROVINCE, ZIP_CODE, COUNTRY, NOTE joined by ", ".
//   - INDIVIDUAL_DOCUMENT: Documents (Type is TYPE_OF_DOCUMENT with
//     TYPE_OF_DOCUMENT2 in parentheses, Country is ISSUING_COUNTRY or else
//     COUNTRY_OF_ISSUE, IssuedOn DATE_OF_ISSUE, Note is "issued in
//     CITY_OF_ISSUE" and NOTE).
//   - DESIGNATION/VALUE and TITLE/VALUE: Positions. COMMENTS1: Notes,
//     verbatim (outer white space trimmed).
//   - One Designation: id "un-qdi-316-unsc", Authority "United Nations
//     Security Council", Program UN_LIST_TYPE, Reference, ListedOn
//     LISTED_ON (a trailing time-zone offset such as "-04:00" is ignored),
//     Until DELISTED_ON when the list has one.
//   - One Source, "unsc-consolidated-list", Published the root's
//     dateGenerated; every entity, designation and relationship cites it.
//
// # Relationships from COMMENTS1
//
// A comment is split into sentences (a full stop before a capital letter,
// not after a month abbreviation, "No.", "Ltd." and the like or an
// initial; also a reference's closing parenthesis before a capitalised
// word, where the list forgot the full stop). A sentence is split into
// segments at top-level ", " (not before a digit: "January 10, 2015") and
// "; ", and before " and <phrase>" once the segment names a record
// ("… (QDe.014) and led by …"). Segments form clauses: one with a
// relation phrase before its first reference, or starting with a
// lower-case word, starts a clause; one starting with a capital, "and",
// "or", "the" or "listed" continues the list of the clause before ("A
// (QDe.1), B (QDe.2) and C (QDe.3)"); a segment without references that
// starts with "as of", "in", "on", "since" … qualifies the clause before,
// or, opening the sentence, the clause after ("On 20 Aug. 2013, …").
//
// Each reference (QDe.135, QDi.316, TAi.048; "Qde.014" is read as QDe.014)
// is governed by the phrase that ends last before it in its clause (the
// longer of two ending together). No phrase, or one separated from the
// reference by "who", "which", "whose", or a verb ("has", "is", "was" …:
// another statement), gives ASSOCIATED_WITH from the record to the
// reference. The phrases (case-insensitive):
//
//	founder and leader of, leader and co-founder of   FOUNDED + LEADER_OF
//	founder of, co-founder of, formed/established X   FOUNDED
//	founded/established/formed/created [in|on DATE] by X   X FOUNDED record (passive)
//	founded and led by X, the founder is X            passive, as written
//	leader of, head of (before a name, not after       LEADER_OF
//	  deputy/military/finance …), emir of (alone or
//	  after "the"/"acting"), heading, leads
//	headed by X, led by X, leader is X                X LEADER_OF record
//	member of, joined, belongs to the leadership of   MEMBER_OF
//	founding member of                                MEMBER_OF, role "founding member"
//	other listed members include X                    X MEMBER_OF record
//	part/unit/branch/wing/component/faction of        PART_OF
//	splinter group of, split from                     SPLIT_FROM
//	affiliate of, affiliated with                     AFFILIATE_OF
//	merged into, absorbed into                        MERGED_INTO
//	a merger between A and B                          A, B MERGED_INTO record
//	merged with B and established C                   record, B MERGED_INTO C
//	changed name as/to, renamed                       RENAMED_TO
//	pledged allegiance/loyalty to                     PLEDGED_ALLEGIANCE_TO
//	brother/son/father/cousin/uncle … of              FAMILY_OF, role the word
//	father's name is X                                X FAMILY_OF record, role "father"
//	associated with, linked to, deputy of …           ASSOCIATED_WITH
//
// A FOUNDED, LEADER_OF or MEMBER_OF phrase followed by "the <Name> of X"
// where the name holds Katiba, Brigade, Battalion, Unit, Wing, Branch,
// Cell, Division, Faction or Shura ("Founder of the Katiba Macina of JNIM
// (QDe.159)") is about a unit of X, not X: the importer creates an
// Organization for the unit, id record id + "-unit-" + slug
// ("un-qdi-425-unit-katiba-macina"), identifier SchemeUnit
// "QDi.425/katiba-macina", the clause as its description, citing the
// list; the record gets the phrase's relationship to the unit and the
// unit is PART_OF X.
//
// A type whose contract fixes its endpoint kinds (MEMBER_OF, LEADER_OF
// and FOUNDED person → organization; PART_OF, MERGED_INTO, SPLIT_FROM,
// AFFILIATE_OF, RENAMED_TO organization → organization; FAMILY_OF, here,
// person – person) falls back to ASSOCIATED_WITH between the record and
// the reference when the kinds do not fit.
//
// Every extracted relationship has Qualifier "derived from text", then
// the hedges the clause uses in order ("reportedly" — also for "reported
// to" —, "allegedly", "believed", "suspected", "claimed"), then "as of
// DATE" for its first "as of"/"as at" date, joined by "; ". Evidence is
// the clause verbatim (its final punctuation trimmed), SourceIDs the list.
// The first date introduced by "in", "on", "since" or "from" before the
// next reference of the clause becomes Since; FOUNDED and MERGED_INTO are
// events with Until = Since; ASSOCIATED_WITH, FAMILY_OF and a unit's
// PART_OF get no date. Ids are "<from>-<type>-<to>" with the type in lower
// case and dashes ("un-qdi-316-founded-un-qde-135").
//
// A reference to a record not on the list makes no relationship and a
// warning naming both records (List.Warnings). Self-references are
// dropped; so are repeats of (from, type, to), except that a repeat with a
// date replaces an undated first statement ("Founder and leader of Ansar
// Eddine" and Ansar Eddine's "Was founded in December 2011 by Iyad ag
// Ghali" give one FOUNDED, dated 2011-12, whose evidence is the second).
//
// # Reconciling
//
// Reconcile matches entities by their unsc-ref (units by their SchemeUnit
// identifier), derived relationships (qualifier starting "derived from
// text" and citing the list) by (from, type, to) after mapping ids to the
// ones prev holds; see Reconcile for the rules.
package unsc
