//! Where requests parse: the supervised worker pool (`noticepipe_runner::worker::Runner`), called
//! from threads of our own, with admission control in front of it.
//!
//! - Admission: a request takes one of `max_concurrent + max_waiting` places *before* its
//!   body is read, or is answered 503 at once. So bodies buffered in memory are bounded by
//!   places × the body limit, and nothing queues forever.
//! - Parse slots: `max_concurrent` of them; a job holds one until its worker answered, even
//!   when the request that asked has timed out meanwhile. So at most `max_concurrent`
//!   worker processes exist.
//! - Threads: `max_concurrent` threads that live as long as the pool, not tokio's
//!   `spawn_blocking` threads. A worker process dies with the *thread* that started it
//!   (`PR_SET_PDEATHSIG`), and tokio ends blocking threads after 10 s idle, which would kill
//!   the idle workers in the pool.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use noticepipe_runner::worker::Runner;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot};

use crate::problem::{Problem, ServiceCode};

type Job = Box<dyn FnOnce(&Runner) + Send>;

pub struct ParsePool {
    runner: Arc<Runner>,
    jobs: Option<mpsc::Sender<Job>>,
    threads: Vec<JoinHandle<()>>,
    places: Arc<Semaphore>,
    slots: Arc<Semaphore>,
}

/// A request's place in the service, held while it is read, waits and parses.
pub struct Admission(#[allow(dead_code)] OwnedSemaphorePermit);

impl ParsePool {
    pub fn new(runner: Runner, max_concurrent: usize, max_waiting: usize) -> std::io::Result<Self> {
        let runner = Arc::new(runner);
        let (sender, receiver) = mpsc::channel::<Job>();
        let receiver = Arc::new(Mutex::new(receiver));
        let mut threads = Vec::new();
        for i in 0..max_concurrent {
            let receiver = Arc::clone(&receiver);
            let runner = Arc::clone(&runner);
            threads.push(
                std::thread::Builder::new()
                    .name(format!("parse-{i}"))
                    .spawn(move || {
                        loop {
                            let next = receiver.lock().expect("job queue lock").recv();
                            let Ok(job) = next else { return };
                            // A panic drops the job's answer channel (the request gets a
                            // 500); the thread, and the workers it started, live on.
                            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                job(&runner)
                            }));
                        }
                    })?,
            );
        }
        Ok(ParsePool {
            runner,
            jobs: Some(sender),
            threads,
            places: Arc::new(Semaphore::new(max_concurrent + max_waiting)),
            slots: Arc::new(Semaphore::new(max_concurrent)),
        })
    }

    /// Stops the idle workers that may hold the OCR engine after `idle_for` without work.
    pub fn release_idle_ocr(&self, idle_for: std::time::Duration) -> usize {
        self.runner.release_idle_ocr(idle_for)
    }

    /// A place for one request, or `busy` when all are taken.
    pub fn admit(&self) -> Result<Admission, Problem> {
        Arc::clone(&self.places)
            .try_acquire_owned()
            .map(Admission)
            .map_err(|_| {
                Problem::service(
                    ServiceCode::Busy,
                    "every parse slot is taken and the waiting line is full; try again later",
                )
            })
    }

    /// Runs `job` with the runner on a parse thread once a slot is free.
    pub async fn run<T: Send + 'static>(
        &self,
        _admitted: &Admission,
        job: impl FnOnce(&Runner) -> T + Send + 'static,
    ) -> Result<T, Problem> {
        let stopped = || {
            Problem::service(
                ServiceCode::Stopped,
                "the service was stopped (a second SIGINT or SIGTERM) before the document was parsed",
            )
        };
        let slot = tokio::select! {
            slot = Arc::clone(&self.slots).acquire_owned() => slot.expect("the slots are never closed"),
            () = crate::signals(2) => return Err(stopped()),
        };
        let (answer, answered) = oneshot::channel();
        let job: Job = Box::new(move |runner| {
            let result = job(runner);
            drop(slot);
            let _ = answer.send(result);
        });
        let internal = || Problem::service(ServiceCode::Internal, "the parse thread failed");
        self.jobs
            .as_ref()
            .expect("jobs are sent until drop")
            .send(job)
            .map_err(|_| internal())?;
        // A second signal makes the worker give up (its answer is an `io` error within
        // 100 ms): the request is answered that the service stopped, at once.
        tokio::select! {
            answer = answered => {
                let answer = answer.map_err(|_| internal())?;
                if noticepipe_runner::signals::stop_at_once() {
                    return Err(stopped());
                }
                Ok(answer)
            }
            () = crate::signals(2) => Err(stopped()),
        }
    }
}

impl Drop for ParsePool {
    /// Ends the threads; the last one drops the runner, which stops the idle workers.
    fn drop(&mut self) {
        self.jobs.take();
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}
