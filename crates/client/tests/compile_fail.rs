//! Misuse of generated bindings must not compile, with a readable message (trybuild).

#[test]
fn misuse_does_not_compile() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
