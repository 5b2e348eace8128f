"""LoRA skill experts: engine-taught data (``data``), tiny local models (``tiny``), training
(``training``), the library on disk (``manifest``, ``library``), PSEC composition (``compose``),
the router (``router``), the expert (``expert``), library operations (``service``) and the
composition experiment (``experiment``)."""
