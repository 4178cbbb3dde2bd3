import { Module } from '@nestjs/common';
import { ProblemsController } from './problems.controller.js';

/** The problem type pages each problem's `type` points at (GET /problems, GET /problems/{code}). */
@Module({ controllers: [ProblemsController] })
export class ProblemsModule {}
