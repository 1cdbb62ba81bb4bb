import type { Response } from 'express';

/** Resolves when a response that reads slowly has drained its buffer, or is closed. */
export function drained(res: Response): Promise<void> {
  return new Promise<void>((resolve) => {
    const go = () => {
      res.off('drain', go);
      res.off('close', go);
      resolve();
    };
    res.on('drain', go);
    res.on('close', go);
  });
}
