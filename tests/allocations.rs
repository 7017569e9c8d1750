//! The engine allocates per output row and per segment, never per step or per RHS call.
//! A counting global allocator checks it: tightening the tolerance multiplies the steps
//! but must not change the number of allocations.

use endocrine::reference::RefHpg;
use endocrine::{simulate, Amount, Dose, Regimen, Route, SimOptions};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};

struct Counting;
static ALLOCS: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// Only the measuring thread counts: the test harness's own threads allocate too, at
    /// moments of their own (seen: 4 extra allocations in one run on a loaded machine).
    static COUNTING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn tally() {
    if COUNTING.with(|c| c.get()) {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
    }
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        tally();
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        tally();
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn count(rtol: f64) -> (u64, u64) {
    let r = Regimen::new().with(
        Dose::new("depot", Route::Im, Amount::mg(100.0), 0.0)
            .unwrap()
            .every(168.0, 52)
            .unwrap(),
    );
    let o = SimOptions::new(365.0 * 24.0, 24.0)
        .unwrap()
        .with_tolerances(rtol, 1e-12)
        .unwrap();
    let before = ALLOCS.load(Ordering::Relaxed);
    COUNTING.with(|c| c.set(true));
    let tr = simulate(&RefHpg::default(), &r, &o).unwrap();
    COUNTING.with(|c| c.set(false));
    let after = ALLOCS.load(Ordering::Relaxed);
    assert!(tr.outcome().is_completed());
    (after - before, tr.stats().accepted_steps)
}

#[test]
fn allocations_do_not_grow_with_steps() {
    count(1e-6); // warm up lazily initialised statics
    let (a_loose, steps_loose) = count(1e-6);
    let (a_tight, steps_tight) = count(1e-11);
    assert!(
        steps_tight > 5 * steps_loose,
        "tight run must take many more steps ({steps_tight} vs {steps_loose})"
    );
    assert_eq!(a_loose, a_tight, "allocations changed with the step count");
    // bounded by output and segments: 418 rows, 52 segments
    assert!(a_loose < 52 * 20 + 100, "{a_loose} allocations");
}
