//! Text validation and transcoding: strict UTF-8 for FIXSTR/STR payloads, generalized UTF-8
//! for SSTR payloads (spec §4 "str", §6 step 7).

pub(crate) mod generalized;
pub(crate) mod utf8;
