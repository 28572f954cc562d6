//! What the generated bindings refuse to compile: each case under `compile_fail/` is a mistake
//! the server would otherwise answer with a fault or, worse, silently ignore.
#![cfg(feature = "base")]

#[test]
fn mistakes_do_not_compile() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/compile_fail/*.rs");
}
